"""Chat platform adapters: the only place that imports a chat SDK (one package each)."""
