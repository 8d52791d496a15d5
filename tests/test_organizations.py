"""organizations.csv: nominative names and one stable key per organization."""
from pathlib import Path

import pytest

from pipeline.ingest import make_document
from pipeline.normalize.organizations import curated_key, fold, slug_key, initials_of
from pipeline.run import process

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_2d0fbb24a7f9f838.txt"


def orgs(text: str, doc_id: str = "t"):
    return process([make_document(doc_id, "<t>", text, text.encode())], errors=[])[0].organizations


@pytest.fixture(scope="module")
def seed():
    text = SEED.read_text("utf-8")
    return process([make_document(SEED.stem, str(SEED), text, text.encode())], errors=[])[0]


def test_seed_has_the_moscow_it_department_un_and_akra(seed):
    by_text = {o.text: o for o in seed.organizations}
    dep = by_text["департамента информационных технологий города Москвы"]
    assert dep.normal == "департамент информационных технологий города Москвы"
    assert by_text["ООН"].org_id == "oon"
    assert by_text["АКРА"].org_id == "akra"
    for o in seed.organizations:
        assert seed.text[o.start:o.stop] == o.text


def test_normal_inflects_the_head_and_keeps_the_dependents():
    found = {o.text: o.normal for o in orgs("Матч Национальной футбольной лиги перенесли.")}
    assert found.get("Национальной футбольной лиги") == "Национальная футбольная лига"


def test_case_forms_abbreviation_and_full_name_share_the_key():
    a = orgs("Генсек Организации Объединённых Наций прибыл в Женеву.")
    b = orgs("В ООН заявили, что Организация Объединенных Наций готова помочь.")
    keys = {o.org_id for o in a + b}
    assert keys == {"oon"}


def test_key_folds_quotes_legal_form_and_case():
    assert slug_key("ОАО «Северсталь»") == slug_key("Северсталь") == "severstal"
    assert slug_key("АКБ «Восход» АО") == slug_key("«Восход»") == "voskhod"  # a bank's form, before and after
    assert curated_key("Госдумы") == curated_key("Государственная дума") == "gosduma"
    assert fold("«Ёлка»") == "елка"


def test_abbreviation_defined_in_the_text_shares_the_full_names_key():
    found = orgs("Российский союз правообладателей (РСП) подал иск. Позже РСП отозвал его.")
    keys = {o.text: o.org_id for o in found}
    assert keys["Российский союз правообладателей"] == keys["РСП"]
    assert sum(1 for o in found if o.text == "РСП") == 2
    assert len({o.org_id for o in found}) == 1


def test_a_bracket_after_an_abbreviation_or_in_latin_letters_names_the_same_body():
    found = keys_by_text("Холдинг ЕЭК (Евразийская энергетическая корпорация) купил завод. ЕЭК сообщил о сделке.")
    assert found["ЕЭК"] == found["Евразийская энергетическая корпорация"]
    found = keys_by_text("Депутаты партии «Союз за республику» (Union pour la République) выиграли выборы.")
    assert found["Union pour la République"] == found["Союз за республику"]


def test_a_bracket_after_a_part_of_a_longer_name_defines_nothing():
    # the span found is `ООН`, part of `Детский фонд ООН`: UNICEF is not the UN
    found = keys_by_text("По данным Детского фонда ООН (UNICEF), число школ выросло. В ООН это подтвердили.")
    assert found["UNICEF"] != found["ООН"]


def test_different_organizations_get_different_keys():
    found = orgs("Сбербанк и ВТБ снизили ставки, а Минфин промолчал.")
    keys = {o.text: o.org_id for o in found}
    assert keys["Сбербанк"] == "sberbank" and keys["ВТБ"] == "vtb" and keys["Минфин"] == "minfin-rossii"


def test_key_does_not_depend_on_the_batch():
    text_a = "Компания «Северсталь» отчиталась."
    text_b = "Прибыль «Северстали» выросла."
    together = process([make_document("a", "<a>", text_a, b"a"), make_document("b", "<b>", text_b, b"b")], errors=[])
    alone = orgs(text_b, "b")
    assert {o.org_id for o in together[1].organizations} == {o.org_id for o in alone}


def test_short_reference_takes_the_key_of_the_one_body_named_before():
    found = orgs("Доклад МАГАТЭ опубликован в среду. По данным Агентства, запасы урана выросли.")
    keys = {o.text: o.org_id for o in found}
    assert keys.get("Агентства") == keys["МАГАТЭ"] == "magate"


def keys_by_text(text: str) -> dict[str, str]:
    return {o.text: o.org_id for o in orgs(text)}


def test_a_state_adjective_and_the_country_in_the_genitive_give_one_key():
    keys = keys_by_text("Британское правительство ответило на запрос. Позже правительство Британии "
                        "и правительство Соединённого Королевства выпустили заявления.")
    assert len(set(keys.values())) == 1, keys


def test_a_capitalised_adjective_mid_sentence_stays_part_of_the_name():
    keys = keys_by_text("Доклад подготовила Российская академия образования.")
    assert keys["Российская академия образования"] != slug_key("академия образования")


def test_a_short_name_takes_its_place_qualified_form_in_the_article():
    keys = keys_by_text("Верховный суд Пакистана отменил приговор. Решение Верховного суда вызвало протесты.")
    assert keys["Верховного суда"] == keys["Верховный суд Пакистана"]


def test_a_short_name_stays_itself_when_the_article_has_two_such_bodies():
    keys = keys_by_text("МИД Франции и МИД Германии подписали письмо. МИД сообщил об этом во вторник.")
    assert keys["МИД"] not in (keys["МИД Франции"], keys["МИД Германии"])


def test_a_lone_generic_body_keeps_its_generic_key():
    keys = keys_by_text("Правительство Мали ввело режим ЧП. Позже правительство отменило его.")
    assert keys["правительство"] != keys["Правительство Мали"]


def test_an_abbreviation_listed_in_the_bracket_shares_the_key_if_it_spells_the_initials():
    keys = keys_by_text("Иск подал Союз свободной прессы (Union of Free Press, UFP). Позже UFP отозвал его.")
    assert keys["Союз свободной прессы"] == keys["Union of Free Press"] == keys["UFP"], keys
    keys = keys_by_text("Иск подал Союз свободной прессы (Union of Free Press, НАТО).")
    assert keys.get("НАТО") != keys["Союз свободной прессы"], keys


def test_initials_skip_short_words_but_start_at_the_first():
    assert initials_of("UFP", "Union of Free Press")
    assert initials_of("ВОЗ", "Всемирная организация здравоохранения")
    assert not initials_of("FP", "Union of Free Press")
    assert not initials_of("UFPX", "Union of Free Press")
