"""Arabic text handling: normalisation with offset maps, segmentation. Knows nothing of events."""

from rasd.text.normalize import Normalized, fold, normalize

__all__ = ["Normalized", "fold", "normalize"]
