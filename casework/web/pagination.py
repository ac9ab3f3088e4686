"""One page of an ordered list, and the page number asked for (a list page stays small as a team grows)."""

from dataclasses import dataclass

MAX_PAGE_DIGITS = 6
# Page links shown on either side of the current page (the first and last are always shown).
LINKS_AROUND = 2


@dataclass(frozen=True)
class Page:
    items: list
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None

    @property
    def first_shown(self) -> int:
        """The 1-based position of the page's first item (0 when the list is empty)."""
        return (self.number - 1) * self.size + 1 if self.items else 0

    def links(self) -> list[int | None]:
        """The page numbers to link, None where a run of them is left out (shown as an ellipsis)."""
        near = range(max(1, self.number - LINKS_AROUND), min(self.pages, self.number + LINKS_AROUND) + 1)
        wanted = sorted({1, self.pages, *near})
        shown: list[int | None] = []
        for number in wanted:
            if shown and number - shown[-1] > 1:
                shown.append(None)
            shown.append(number)
        return shown


def page_number(raw: str | None) -> int | None:
    """The page asked for (1 when none); None when it is no page number at all."""
    if raw is None or raw == "":
        return 1
    if not raw.isascii() or not raw.isdigit() or len(raw) > MAX_PAGE_DIGITS or int(raw) < 1:
        return None
    return int(raw)


def page_of(items: list, number: int, size: int) -> Page | None:
    """Page `number` (1-based) of `items`; None past the last page (page 1 of an empty list exists)."""
    page = Page(items[(number - 1) * size:number * size], number, size, len(items))
    return page if number <= page.pages else None
