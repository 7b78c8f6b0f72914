import pytest
from hypothesis import given
from hypothesis import strategies as st

from chongdich.core.text import fold, fold_words, normalize_text, title_name


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Nguyễn Văn An", "nguyen van an"),
        ("ĐẶNG THỊ ĐÀO", "dang thi dao"),
        ("  Trần   Ngọc  Ánh ", "tran ngoc anh"),
        ("Điểu Kré", "dieu kre"),
        ("Xã Đức Hạnh", "xa duc hanh"),
        ("Huỳnh Thị Mỹ Lệ", "huynh thi my le"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold(raw, folded):
    assert fold(raw) == folded


def test_fold_handles_decomposed_input():
    decomposed = "Nguye\u0302\u0303n"  # NFD "Nguyễn" as typed on some phones
    assert fold(decomposed) == "nguyen"
    assert normalize_text(decomposed) == "Nguyễn"


def test_fold_words_drops_punctuation():
    assert fold_words("Thôn 3/Tổ 2 – Bù Gia Mập") == "thon 3 to 2 bu gia map"


def test_title_name():
    assert title_name("nguyễn  văn AN") == "Nguyễn Văn An"


@given(st.text())
def test_fold_is_idempotent_and_ascii_for_vietnamese(text):
    once = fold(text)
    assert fold(once) == once


@given(
    st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ ĐÂĂ")
)
def test_vietnamese_letters_fold_to_ascii(text):
    assert fold(text).isascii()
