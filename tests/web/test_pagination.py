"""One page of a list, and the page number asked for."""

import pytest

from casework.web.pagination import page_number, page_of


def test_pages_of_a_list():
    items = list(range(23))
    first, last = page_of(items, 1, 10), page_of(items, 3, 10)
    assert (first.items, first.pages, first.previous, first.next, first.first_shown) == (items[:10], 3, None, 2, 1)
    assert (last.items, last.previous, last.next, last.first_shown) == ([20, 21, 22], 2, None, 21)
    assert page_of(items, 4, 10) is None
    assert page_of([], 1, 10).pages == 1 and page_of([], 2, 10) is None


def test_far_pages_are_left_out_of_the_links():
    assert page_of(list(range(100)), 10, 5).links() == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert page_of(list(range(20)), 2, 5).links() == [1, 2, 3, 4]


@pytest.mark.parametrize(("raw", "number"), [(None, 1), ("", 1), ("3", 3), ("0", None), ("-2", None),
                                             ("x", None), ("²", None), ("1234567", None)])
def test_the_page_number_asked_for(raw, number):
    assert page_number(raw) == number
