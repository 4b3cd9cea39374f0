"""Statistical Arabic name tagger trained by the project on ANERcorp (see MODEL.md)."""

from raqib.ner.model import NameSpan, NerError, NerModel, find_names, load_model

__all__ = ["NameSpan", "NerError", "NerModel", "find_names", "load_model"]
