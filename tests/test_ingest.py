"""ingest: encodings, headers, records and bad input."""
from __future__ import annotations

import csv
import json
import tracemalloc

import pytest

from pipeline.ingest import decode, expand, parse_header, read, InputError
from pipeline.records import Document, Error

TEXT = "Москва представила решения для управления городом. Делегации приехали из Китая и Индии."


def read_all(*paths):
    items = list(read(paths))
    return [i for i in items if isinstance(i, Document)], [i for i in items if isinstance(i, Error)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251", "koi8-r"])
def test_cyrillic_encodings_decode_to_the_same_text(tmp_path, encoding):
    path = tmp_path / "a.txt"
    path.write_bytes(TEXT.encode(encoding))
    docs, errors = read_all(path)
    assert not errors
    assert docs[0].text == TEXT
    assert docs[0].doc_id == "a"


def test_crlf_is_kept_so_offsets_index_the_decoded_text(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes("Первая строка.\r\nВторая строка.".encode())
    docs, _ = read_all(path)
    assert docs[0].text == "Первая строка.\r\nВторая строка."


def test_header_date_and_photo_credit_leave_text_unchanged():
    text = " date 2025-08-20 Фото: пресс-служба мэрии\n\nТекст статьи."
    assert parse_header(text) == ("2025-08-20", "пресс-служба мэрии")
    assert parse_header("Обычный текст без заголовка.") == ("", "")


@pytest.mark.parametrize("content, message", [
    (b"", "empty file"),
    (b"   \n\n", "empty file"),
    (b"\x00\x01\x02\x03binary\x00\xff\xfe\x00" * 20, "binary"),
])
def test_bad_files_become_errors_naming_the_file(tmp_path, content, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text(TEXT, encoding="utf-8")
    docs, errors = read_all(bad, good)
    assert [d.doc_id for d in docs] == ["good"]
    assert len(errors) == 1
    assert str(bad) in errors[0].error and message in errors[0].error
    assert errors[0].stage == "ingest"


def test_missing_path_and_directory_named_like_a_file(tmp_path):
    (tmp_path / "folder.txt").mkdir()
    docs, errors = read_all(tmp_path / "nope.txt", tmp_path / "folder.txt")
    assert not docs
    assert "no such file" in errors[0].error
    assert "is a directory" in errors[1].error


def test_utf8_with_a_stray_byte_keeps_its_article(tmp_path):
    """One byte a scraper cut out of a character once lost the whole article as undecodable."""
    path = tmp_path / "a.txt"
    path.write_bytes((TEXT * 5).encode() + b"\xd0" + " Конец.".encode())
    docs, errors = read_all(path)
    assert not errors and docs[0].text == TEXT * 5 + "\ufffd Конец."


def test_jsonl_records_and_a_malformed_line(tmp_path):
    path = tmp_path / "batch.jsonl"
    lines = [json.dumps({"id": "n1", "text": TEXT, "published": "2024-01-02"}, ensure_ascii=False),
             "{not json",
             json.dumps({"id": "n2", "text": ""}),
             json.dumps({"id": "n3", "text": "Ещё одна новость."}, ensure_ascii=False)]
    path.write_text("\n".join(lines), encoding="utf-8")
    docs, errors = read_all(path)
    assert [d.doc_id for d in docs] == ["n1", "n3"]
    assert docs[0].published == "2024-01-02"
    assert f"{path}:2" in errors[0].error and "malformed JSON" in errors[0].error
    assert f"{path}:3" in errors[1].error and "empty 'text'" in errors[1].error


def test_jsonl_text_that_is_no_string_is_named_so(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [json.dumps({"id": "n1", "text": 42}), json.dumps({"id": "n2", "text": {"body": "Новость."}}, ensure_ascii=False),
             json.dumps({"id": "n3"})]
    path.write_text("\n".join(lines), encoding="utf-8")
    docs, errors = read_all(path)
    assert not docs
    assert [e.error for e in errors] == [f"{path}:1: 'text' must be a string, not int",
                                         f"{path}:2: 'text' must be a string, not dict",
                                         f"{path}:3: missing or empty 'text'"]


def test_jsonl_half_of_a_surrogate_pair_is_an_error_of_its_line(tmp_path):
    """`\\ud83d` without its pair (an emoji cut in two) is valid JSON but no UTF-8: it once
    stopped the whole run with a traceback."""
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join([
        '{"id": "n1", "text": "Вышла новость \\ud83d о встрече."}',
        '{"id": "n2\\udfff", "text": "Вторая новость."}',
        '{"id": "n3", "text": "Третья новость.", "title": "Заголовок \\ud800"}',
        '{"id": "n4", "text": "Четвёртая новость \\ud83d\\ude00 с целым смайлом."}']), encoding="utf-8")
    docs, errors = read_all(path)
    assert [d.doc_id for d in docs] == ["n4"]
    assert [e.error for e in errors] == [
        f"{path}:1: 'text' is not valid Unicode (a lone surrogate, '\\ud83d', at character 14)",
        f"{path}:2: 'id' is not valid Unicode (a lone surrogate, '\\udfff', at character 2)",
        f"{path}:3: 'title' is not valid Unicode (a lone surrogate, '\\ud800', at character 10)"]


def test_jsonl_line_longer_than_an_article_is_skipped_without_holding_it(tmp_path):
    """A JSON array saved as .jsonl is one line the size of the file: it was read whole into
    memory before it could be refused."""
    path = tmp_path / "feed.jsonl"
    records = [{"id": f"a{i}", "text": "Делегация прибыла в Москву. " * 40} for i in range(2000)]
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(records, ensure_ascii=False) + "\n")  # about 4 MB on one line
        f.write(json.dumps({"id": "next", "text": TEXT}, ensure_ascii=False) + "\n")
    tracemalloc.start()
    items = list(read([path], max_mb=0.05))  # lines up to 0.4 MB
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [i.doc_id for i in items if isinstance(i, Document)] == ["next"]
    assert [i.error for i in items if isinstance(i, Error)] == [
        f"{path}:1: a line over 0.4 MB, more than one article can take (raise --max-mb); "
        "a JSON array is not JSONL, one object a line"]
    assert peak < path.stat().st_size / 3, peak  # a few pieces of the line, never all of it


def test_csv_records_need_id_and_text(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text('id,text\nc1,"Текст, с запятой."\n', encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("name,body\nx,y\n", encoding="utf-8")
    docs, errors = read_all(good, bad)
    assert [(d.doc_id, d.text) for d in docs] == [("c1", "Текст, с запятой.")]
    assert str(bad) in errors[0].error and "'id' and 'text'" in errors[0].error


def test_csv_article_longer_than_the_csv_modules_field_limit(tmp_path):
    """csv stops at 131,072 characters a field unless told: a long article once stopped the run."""
    long_text = "Делегация прибыла в Москву. " * 6000  # 168k characters, 0.3 MB
    path = tmp_path / "feed.csv"
    path.write_text(f'id,text\nlong,"{long_text}"\nshort,Короткая новость.\n', encoding="utf-8")
    docs, errors = read_all(path)
    assert [(d.doc_id, len(d.text)) for d in docs] == [("long", len(long_text)), ("short", 17)]
    assert not errors


def test_csv_field_over_the_article_limit_ends_its_file_with_an_error(tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text('id,text\nfirst,Первая новость.\nhuge,"' + "ы" * 300_000 + '"\nlast,Последняя.\n',
                    encoding="utf-8")
    items = list(read([path], max_mb=0.2))
    assert [i.doc_id for i in items if isinstance(i, Document)] == ["first"]
    assert [i.error for i in items if isinstance(i, Error)] == [
        f"{path}:3: a field over the 0.2 MB limit for one article (raise it with --max-mb); "
        "the rows after it are not read"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251", "koi8-r"])
def test_csv_in_cyrillic_encodings_gives_the_same_records(tmp_path, encoding):
    path = tmp_path / "feed.csv"
    path.write_bytes(f'id,text\nc1,"{TEXT}"\nc2,Ещё одна новость.\n'.encode(encoding))
    docs, errors = read_all(path)
    assert [(d.doc_id, d.text) for d in docs] == [("c1", TEXT), ("c2", "Ещё одна новость.")] and not errors


def test_csv_that_stops_being_utf8_keeps_the_rows_before(tmp_path):
    path = tmp_path / "feed.csv"
    rows = "".join(f"n{i},Новость номер {i}.\n" for i in range(40_000)).encode()  # over the sniffed megabyte
    path.write_bytes(b"id,text\n" + rows + b"bad,\xff\xfe\n" + "after,Потом.\n".encode())
    docs, errors = read_all(path)
    assert len(docs) == 40_000 and docs[-1].doc_id == "n39999"
    assert len(errors) == 1
    assert errors[0].error.startswith(f"{path}:40002: cannot read the record ('utf-8' codec can't decode byte 0xff")
    assert errors[0].error.endswith("; the rows after it are not read")


def test_csv_is_streamed_not_read_whole(tmp_path):
    """Reading a CSV holds a record at a time (and the first megabyte, to tell its encoding):
    4x the rows, the same peak. It once decoded the whole file in memory."""
    def peak(n: int) -> int:
        path = tmp_path / f"feed{n}.csv"
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["id", "text"])
            writer.writerows([f"n{i}", "Переговоры в Москве продолжились утром. " * 30] for i in range(n))
        tracemalloc.start()
        for _ in read([path]):
            pass
        top = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return top
    small, large = peak(500), peak(2000)
    assert large < 1.5 * small, (small, large)


def test_a_pattern_that_matches_nothing_is_reported(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    docs, errors = read_all(tmp_path / "*.txt", tmp_path / "*.jsonl")
    assert [d.doc_id for d in docs] == ["a"]
    assert [e.error for e in errors] == [f"{tmp_path / '*.jsonl'}: matches no file"]


def test_repeated_doc_id_is_an_error_not_an_overwrite(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x.txt").write_text("Первый.", encoding="utf-8")
    (tmp_path / "b" / "x.txt").write_text("Второй.", encoding="utf-8")
    docs, errors = read_all(tmp_path / "a", tmp_path / "b")
    assert [d.text for d in docs] == ["Первый."]
    assert "already read" in errors[0].error


def test_folder_and_glob_expansion_is_sorted(tmp_path):
    for name in ("b.txt", "a.txt", ".hidden.txt", "notes.md"):
        (tmp_path / name).write_text("Текст.", encoding="utf-8")
    assert [p.name for p in expand([tmp_path])] == ["a.txt", "b.txt"]
    assert [p.name for p in expand([str(tmp_path / "*.txt")])] == ["a.txt", "b.txt"]


def test_sha256_is_of_the_raw_bytes(tmp_path):
    import hashlib

    path = tmp_path / "c.txt"
    raw = TEXT.encode("cp1251")
    path.write_bytes(raw)
    docs, _ = read_all(path)
    assert docs[0].sha256 == hashlib.sha256(raw).hexdigest()


def test_decode_rejects_nul_in_utf8():
    with pytest.raises(InputError, match="NUL"):
        decode("Текст\x00с нулём".encode())
