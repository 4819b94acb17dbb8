"""mapping.memo.per_dataset: answers remembered per dataset object and arguments."""

from __future__ import annotations

from mapping import memo


class Data:
    """Stands for a Dataset: compared by identity, not by value."""


def test_an_answer_is_remembered_per_dataset_and_arguments():
    calls: list[tuple[int, int]] = []

    @memo.per_dataset
    def answer(data: Data, x: int, *, y: int = 0) -> list[int]:
        calls.append((x, y))
        return [x + y]

    one, two = Data(), Data()
    first = answer(one, 1, y=2)
    assert answer(one, 1, y=2) is first  # the same object, not recomputed
    assert answer(two, 1, y=2) == [3] and answer(one, 2) == [2]
    assert calls == [(1, 2), (1, 2), (2, 0)]


def test_a_new_dataset_is_never_answered_from_an_old_one(monkeypatch):
    """Even if it had the same id(): the dataset is compared by identity too."""
    monkeypatch.setattr(memo, "MAX_ANSWERS", 2)

    @memo.per_dataset
    def name(data: Data) -> str:
        return str(getattr(data, "name", ""))

    datasets = []
    for n in range(5):
        data = Data()
        data.name = f"v{n}"  # type: ignore[attr-defined]
        datasets.append(data)
        assert name(data) == f"v{n}"
    assert name(datasets[0]) == "v0"  # dropped beyond MAX_ANSWERS, answered again
