"""The package's small public API works from the top-level import."""

from __future__ import annotations

import raqib


def test_public_names_resolve_and_extract_runs() -> None:
    for name in raqib.__all__:
        assert getattr(raqib, name) is not None
    document = raqib.Document.from_text("Iran supplied drones to the Houthis.", source="t",
                                        language="en")
    result = raqib.extract(document)
    assert isinstance(result, raqib.Extraction)
    assert {e.name for e in result.entities} >= {"Iran", "Houthis"}


def test_unknown_attribute_is_an_attribute_error() -> None:
    try:
        raqib.no_such_thing  # noqa: B018
    except AttributeError as error:
        assert "no_such_thing" in str(error)
    else:
        raise AssertionError("expected AttributeError")


def test_the_extract_subpackage_stays_importable_after_the_function_is_bound() -> None:
    assert callable(raqib.extract)
    from raqib.extract import engine, rules

    assert engine.default_extractor() is engine.default_extractor()
    assert rules.load_rules() is not None
