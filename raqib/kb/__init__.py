"""The knowledge base: bundled, reviewable YAML data on states, places, armed groups, bodies,
media, people and weapons, with Arabic and English surface forms, and its validating loader.
"""

from raqib.kb.loader import KBEntry, KBError, KnowledgeBase, fold_key, load_kb

__all__ = ["KBEntry", "KBError", "KnowledgeBase", "fold_key", "load_kb"]
