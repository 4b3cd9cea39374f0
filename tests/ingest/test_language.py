"""detect_language: ISO 639-1 codes, offline, "und" without letters."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from lingua import IsoCode639_1

from raqib.ingest import language
from raqib.ingest.language import detect_language


def test_seed_is_arabic(seed_path: Path) -> None:
    assert detect_language(seed_path.read_text("utf-8")) == "ar"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ضبطت السلطات شحنة أسلحة مهربة في ميناء الحديدة يوم الاثنين.", "ar"),
        ("Customs officers seized rifles hidden in a shipment of machinery on Monday.", "en"),
        (
            "Les douaniers ont saisi des fusils cachés dans une cargaison de machines agricoles.",
            "fr",
        ),
        ("مقامات ایران گفتند که پهپادها به روسیه فرستاده نشده است و این گزارش را رد کردند.", "fa"),
        ("پاکستان کی حکومت نے کہا ہے کہ اسلحہ کی اسمگلنگ کے خلاف کارروائی جاری رہے گی۔", "ur"),
        ("Российские власти задержали торговца оружием в Москве в прошлом месяце.", "ru"),
        ("Türk yetkilileri limanda gizlenmiş silahları ele geçirdiklerini açıkladı.", "tr"),
        ("השלטונות עצרו סוחר נשק בנמל חיפה בשבוע שעבר.", "he"),
        ("Las autoridades incautaron armas ocultas en un cargamento en el puerto.", "es"),
        ("Die Behörden haben im Hafen Waffen in einer Maschinenlieferung beschlagnahmt.", "de"),
    ],
)
def test_languages(text: str, code: str) -> None:
    assert detect_language(text) == code


def test_arabic_with_english_words_is_arabic() -> None:
    text = (
        "قال المتحدث باسم الجيش إن the weapons were seized قرب الحدود، وإن الشحنة "
        "ضمت صواريخ من طراز Kornet وذخائر متنوعة كانت في طريقها إلى جماعة مسلحة."
    )
    assert detect_language(text) == "ar"


def test_english_with_arabic_names_is_english() -> None:
    text = (
        "The Houthis (الحوثيون) said on Tuesday that they had fired missiles at two ships "
        "in the Red Sea, and a spokesman for Ansar Allah (أنصار الله) repeated the claim."
    )
    assert detect_language(text) == "en"


def test_arabic_with_one_persian_letter_in_a_name_is_still_arabic() -> None:
    text = (
        "وقال المسؤول إن شركة گلوبال للشحن نقلت الأسلحة عبر ميناء بندر عباس إلى "
        "اليمن خلال الأشهر الماضية، وفق ما ذكرت صحيفة وول ستريت جورنال."
    )
    assert detect_language(text) == "ar"


@pytest.mark.parametrize("text", ["", "   ", "123 456 7.89", "!!! ... ---", "٢٠٢٤/١٠/٠٦"])
def test_no_letters_is_undetermined(text: str) -> None:
    assert detect_language(text) == "und"


def test_languages_yaml_is_valid() -> None:
    path = Path(language.__file__).parent / "data" / "languages.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    assert "ar" in data["candidates"] and "en" in data["candidates"]
    for code in data["candidates"]:
        assert hasattr(IsoCode639_1, code.upper()), code
    assert 0 < data["arabic_share"] < 1
    assert data["sample_chars"] > 100
    # The Persian-only letters must be in the class, the Arabic alphabet must not.
    pattern = language._settings().non_arabic_letters
    assert all(pattern.search(ch) for ch in "پچژگکیٹڈڑںہے")
    assert not any(pattern.search(ch) for ch in "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي")
