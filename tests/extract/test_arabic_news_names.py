"""Arabic news names: titles followed by clauses, organisations after their heads, the
dateline's author, a nisba word that begins a person's name, the article of a name
written after ل. Sentences are written for these tests; each expectation is what an
analyst would list as the document's entities.
"""

from __future__ import annotations

from raqib.model import Document
from raqib.pipeline import extract


def _entities(text: str) -> dict[str, tuple[str, list[str]]]:
    """Entity name -> (type, mention texts)."""
    result = extract(Document.from_text(text, source="test", language="ar"))
    mentions: dict[str, list[str]] = {}
    for mention in result.mentions:
        assert text[mention.start:mention.end] == mention.text
        mentions.setdefault(mention.entity, []).append(mention.text)
    return {e.name: (e.type, mentions.get(e.id, [])) for e in result.entities}


def _persons(text: str) -> set[str]:
    return {name for name, (kind, _) in _entities(text).items() if kind == "person"}


# -- titles before names -----------------------------------------------------------------


def test_a_relative_clause_after_a_title_is_no_name() -> None:
    # "the head of the team that is leading the inquiry said ...": no person is named.
    text = "وقال رئيس الفريق الذي يتولى التحقيق إن المتهمين اعترفوا ."
    assert _persons(text) == set()


def test_a_purpose_clause_does_not_join_the_name() -> None:
    # "... with the Jordanian foreign minister Ayman Safadi to discuss the crisis"
    text = "والتقى الوزير مع وزير الخارجية الأردني أيمن الصفدي لبحث الأزمة ."
    assert "أيمن الصفدي" in _persons(text)
    assert not any("لبحث" in name for name in _persons(text))


def test_a_name_with_bin_keeps_its_last_part() -> None:
    text = "واستقبل الرئيس التونسي زين العابدين بن علي وفدا من الجامعة العربية أمس ."
    assert "زين العابدين بن علي" in _persons(text)


# -- organisations after their heads ------------------------------------------------------


def test_a_ministry_with_its_nationality_is_one_organisation() -> None:
    text = "وذكرت مصادر في وزارة الداخلية المغربية أن الشرطة فككت الشبكة ."
    found = _entities(text)
    assert found.get("وزارة الداخلية المغربية", ("", []))[0] == "organization"


def test_a_court_named_by_a_construct_chain_is_an_organisation() -> None:
    # "the State Security Court convicted the MP ...": the court is named, and an entity.
    text = "وأدانت محكمة أمن الدولة النائب خالد الزعبي بتهمة التحريض ."
    assert _entities(text).get("محكمة أمن الدولة", ("", []))[0] == "organization"


def test_a_weekday_after_an_organisation_is_not_part_of_it() -> None:
    text = "ووافق مجلس النواب الخميس على القرار ."
    found = _entities(text)
    assert "مجلس النواب" in found
    assert not any("الخميس" in name for name in found)


def test_a_participle_phrase_ends_the_organisation() -> None:
    # "the Islamic Action Front, made up of 17 seats"
    text = "وينتمي النائبان إلى كتلة جبهة العمل الإسلامي المؤلفة من 17 مقعدا ."
    found = _entities(text)
    assert "جبهة العمل الإسلامي" in found
    assert not any("المؤلفة" in name for name in found)


def test_a_known_body_after_a_head_is_left_to_the_knowledge_base() -> None:
    # "مجلس الأمن" is the UN Security Council in the knowledge base: no second entity.
    text = "وطالب مجلس الأمن الدولي بوقف القتال ."
    found = _entities(text)
    assert not any(kind == "organization" and name.startswith("مجلس")
                   for name, (kind, _) in found.items())


# -- the statistical tagger's names ------------------------------------------------------


def test_the_dateline_author_is_not_an_entity() -> None:
    # "London, Mohammed al-Shafei: the police said it arrested three men."
    text = "لندن محمد الشافعي قالت الشرطة البريطانية إنها اعتقلت ثلاثة رجال أمس ."
    assert "محمد الشافعي" not in _persons(text)


def test_the_conjunction_is_not_part_of_a_tagged_name() -> None:
    text = ("وقال الرئيس الفنزويلي هوغو شافيز إنه سيلتقي الرئيس ألكسندر لوكاشنكو . "
            "وأكد شافيز ولوكاشنكو أن المحادثات ستتناول التعاون .")
    for _, (_, mentions) in _entities(text).items():
        assert "ولوكاشنكو" not in mentions


def test_a_bare_nisba_that_begins_a_persons_name_is_not_a_country() -> None:
    # Kenny Goss, a friend of George Michael: no Kenya here.
    text = ("وقال كيني جوس صديق المغني جورج مايكل إن المغني بخير . "
            "وكان مايكل قد اعتقل في لندن .")
    found = _entities(text)
    assert "Kenya" not in found


def test_a_byline_word_marks_the_writer() -> None:
    # "Written by Mohammed al-Shafei: Iran released the journalist Ahmed Mansour."
    text = "كتب محمد الشافعي : أفرجت إيران عن الصحفي أحمد منصور أمس ."
    persons = _persons(text)
    assert "محمد الشافعي" not in persons
    assert "أحمد منصور" in persons


def test_a_name_opening_the_text_without_a_dateline_stays() -> None:
    # "Mohammed al-Shafei said ...": he is the speaker, an entity of the story.
    text = "محمد الشافعي قال إن إيران أفرجت عن الصحفي أحمد منصور ."
    assert "محمد الشافعي" in _persons(text)
