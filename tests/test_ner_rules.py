"""ORG rules beside slovnet: generic bodies, genitive chains, quoted names, brackets, aliases."""
import pytest

from pipeline.ingest import make_document
from pipeline.run import process
from pipeline import ner_rules


def orgs_of(text: str) -> list[str]:
    doc = process([make_document("t", "<t>", text, text.encode())], errors=[])[0]
    return [m.text for m in doc.mentions if m.type == "ORG"]


@pytest.fixture(scope="module", autouse=True)
def warm():
    orgs_of("Прогрев моделей.")


def test_genitive_chain_of_a_department_is_one_name():
    found = orgs_of("Об этом сообщили в департаменте информационных технологий города Москвы.")
    assert "департаменте информационных технологий города Москвы" in found


def test_generic_bodies_are_organizations():
    found = orgs_of("Вечером полиция задержала подозреваемого, а правительство Израиля промолчало.")
    assert "полиция" in found
    assert "правительство Израиля" in found


def test_authorities_need_a_dependent_and_the_plural():
    assert "китайские власти" in orgs_of("Об этом заявили китайские власти.")
    assert "власти Тамбова" in orgs_of("Вчера власти Тамбова закрыли рынок.")
    assert orgs_of("Вчера власти закрыли рынок.") == []
    assert orgs_of("Он долго шёл к власти.") == []


def test_quoted_name_after_a_descriptor_is_the_mention():
    found = orgs_of("Акции компании «Северсталь» выросли, сообщило ОАО «Ростелеком».")
    assert "Северсталь" in found
    assert "Ростелеком" in found
    assert not any("компании" in f or "ОАО" in f for f in found)


def test_bracketed_abbreviation_is_a_mention_of_its_own():
    found = orgs_of("Заявление сделал Международный валютный фонд (МВФ) в пятницу.")
    assert "Международный валютный фонд" in found
    assert "МВФ" in found
    assert not any("(" in f for f in found)


def test_curated_abbreviations_are_found():
    found = orgs_of("Доклад обсудили в АКРА и ФСБ.")
    assert "АКРА" in found and "ФСБ" in found


def test_body_of_a_country_takes_the_country_into_its_name():
    found = orgs_of("Официальный представитель МИД России выступил с заявлением.")
    assert "МИД России" in found


def test_media_in_general_is_not_an_organization():
    assert "СМИ" not in orgs_of("Как сообщают СМИ, переговоры продолжатся.")


def test_mention_ids_follow_the_text():
    doc = process([make_document("t", "<t>", "В МВФ и ООН ответили.", b"x")], errors=[])[0]
    assert [m.mention_id for m in doc.mentions] == list(range(len(doc.mentions)))
    assert [m.start for m in doc.mentions] == sorted(m.start for m in doc.mentions)


def test_latin_name_in_brackets_after_an_organization():
    found = orgs_of("Доклад опубликовала Международная амнистия (Amnesty International) во вторник.")
    assert "Amnesty International" in found


def test_news_site_named_by_its_domain():
    assert "vc.ru" in orgs_of("Как пишет vc.ru, сделка закрыта.")


def test_wiki_quoted_latin_name_is_an_organization():
    assert "Live Nation" in orgs_of("Тур организовала компания ''Live Nation'' в прошлом году.")
    assert orgs_of("Статья называлась ''There shall never be slavery''.") == []


def test_eu_tagged_as_place_becomes_an_organization():
    doc = process([make_document("t", "<t>", "Решение примут в ЕС в марте.", b"x")], errors=[])[0]
    assert ("ЕС", "ORG") in [(m.text, m.type) for m in doc.mentions]


def test_curated_name_of_several_words_is_found():
    assert "Голоса Америки" in orgs_of("Об этом он рассказал корреспонденту Голоса Америки в понедельник.")


def test_platform_as_a_medium_is_not_an_organization():
    assert "Twitter" not in orgs_of("Президент написал в Twitter, что встреча состоится.")


def test_prepositional_phrase_continues_a_body_name():
    found = orgs_of("Проверку провело Главное управление МВД России по Самарской области.")
    assert "Главное управление МВД России по Самарской области" in found
    found = orgs_of("Законопроект одобрил комитет Госдумы по обороне и безопасности.")
    assert "комитет Госдумы по обороне и безопасности" in found
    found = orgs_of("Доклад подготовил Совет при президенте РФ по развитию гражданского общества.")
    assert "Совет при президенте РФ по развитию гражданского общества" in found


def test_adverbial_after_a_body_is_not_its_name():
    found = orgs_of("Министерство обороны по данным источника отказалось от закупки.")
    assert not any("данным" in f for f in found)


def test_latin_name_in_brackets_after_a_quoted_name():
    found = orgs_of("Об этом пишет итальянская газета «Коррьере делла Сера» (Corriere della Sera).")
    assert "Corriere della Sera" in found


def test_a_vehicle_name_stays_a_vehicle_across_the_article():
    text = ("Шаттл «Индевор» вернулся на Землю. После «Индевора» в космос отправится ещё один корабль, "
            "а «Индевор» передадут музею.")
    assert not any("Индевор" in f for f in orgs_of(text))


def test_a_legal_form_alone_is_not_an_organization():
    found = orgs_of("Компания зарегистрирована как ПАО, сообщил её представитель.")
    assert "ПАО" not in found


def test_a_house_after_a_preposition_of_place_is_the_building():
    assert "Белом доме" not in orgs_of("Вечером президент выступил в Белом доме перед журналистами.")
    assert "Белый дом" in orgs_of("Белый дом заявил, что переговоры продолжатся.")


def test_a_noun_governing_a_named_body_is_not_part_of_it():
    text = "Исследователи Брукхейвенской национальной лаборатории открыли новую частицу."
    doc = process([make_document("t", "<t>", text, text.encode())], errors=[])[0]
    start, stop = ner_rules.trim_leading_noun(doc, 0, len("Исследователи Брукхейвенской национальной лаборатории"))
    assert text[start:stop] == "Брукхейвенской национальной лаборатории"
    start, stop = ner_rules.trim_leading_noun(doc, 0, len("Исследователи"))
    assert (start, stop) == (0, len("Исследователи"))


def test_quoted_names_after_a_work_or_a_cinema_are_not_organizations():
    text = "Фильмы покажут в кинотеатрах «Октябрь», «Полёт» и «Родина», а также на фестивале."
    found = orgs_of(text)
    assert not any(name in f for f in found for name in ("Октябрь", "Полёт", "Родина"))
    assert "Metallica" in orgs_of("Новый альбом Metallica выйдет осенью.")


def test_a_lone_adjective_is_not_an_organization():
    text = "Лондонский «Арсенал» обыграл соперника."
    doc = process([make_document("t", "<t>", text, text.encode())], errors=[])[0]
    assert ner_rules.lone_adjective(doc, 0, len("Лондонский"))
    assert not ner_rules.lone_adjective(doc, 12, 19)
    assert "Лондонский" not in orgs_of(text)


def test_a_curated_organization_tagged_as_a_person_becomes_one():
    found = orgs_of("Об этом сообщил оператор Аль-Джазиры, а лидер Аль-Кайды скрылся.")
    assert "Аль-Кайды" in found


def test_a_second_bracket_after_an_abbreviation():
    found = orgs_of("Об этом сообщает Комитет защиты журналистов (КЗЖ) (Committee to Protect Journalists).")
    assert "Committee to Protect Journalists" in found


def test_a_domain_at_the_end_of_a_sentence_names_the_site():
    assert "baltinfo.ru" in orgs_of("Конкурс откроется в понедельник, сообщает baltinfo.ru.")
    assert "change.org" not in orgs_of("Петиция на change.org набрала тысячи подписей.")


def test_a_tournament_is_not_an_organization():
    found = orgs_of("В матче Лиги чемпионов «Спартак» уступил соперникам, сообщил УЕФА.")
    assert "Лиги чемпионов" not in found


def test_a_name_never_runs_over_a_line_break():
    text = "Выпускница учится в Гарвардском университете\nСемья Обама переехала в Вашингтон."
    doc = process([make_document("t", "<t>", text, text.encode())], errors=[])[0]
    m = ner_rules.make_mention(doc, text.index("Гарвардском"), text.index(" переехала"), "ORG")
    parts = ner_rules.split_lines(doc, [m])
    assert [p.text for p in parts] == ["Гарвардском университете", "Семья Обама"]
    assert all("\n" not in m.text for m in doc.mentions)
    loc = ner_rules.make_mention(doc, text.index("Гарвардском"), text.index(" переехала"), "LOC")
    assert [p.text for p in ner_rules.split_lines(doc, [loc])] == ["Гарвардском университете"]


def test_a_chain_stops_after_the_place_that_ends_a_name():
    found = orgs_of("Правозащитники осудили запрет властями России уличных акций.")
    assert not any("акций" in f for f in found)
    found = orgs_of("Об этом сообщили в департаменте информационных технологий города Москвы.")
    assert "департаменте информационных технологий города Москвы" in found


def test_a_foreign_name_and_its_abbreviation_in_one_bracket():
    found = orgs_of("Победу одержала партия «Объединение за Мали» (Rassemblement pour le Mali, RPM), сообщили наблюдатели.")
    assert "Rassemblement pour le Mali" in found
    assert "RPM" in found
    assert not any(", RPM" in f for f in found)


def test_wikinews_is_an_organization():
    assert "Викиновостям" in orgs_of("Рабочий завода рассказал Викиновостям о забастовке.")


def test_a_wiki_quoted_name_after_a_show_or_a_car_is_not_a_company():
    found = orgs_of("Ведущая появилась в шоу ''Late Night'' и приехала на автомобиле ''Lamborghini''.")
    assert "Late Night" not in found
    assert "Lamborghini" not in found


def test_a_place_adjective_the_model_tagged_belongs_to_the_body():
    text = "Кипрское правительство намерено ужесточить контроль над банками."
    doc = process([make_document("t", "<t>", text, text.encode())], errors=[])[0]
    assert "Кипрское правительство" in [m.text for m in doc.mentions if m.type == "ORG"]


def test_a_body_and_the_body_it_belongs_to_are_one_name():
    text = "Решение принял первый секретарь Свердловского обкома КПСС, а замглавы ФМС России промолчал."
    found = orgs_of(text)
    assert "Свердловского обкома КПСС" in found
    assert "КПСС" in found
    assert not any(f.startswith("замглавы") for f in found)
