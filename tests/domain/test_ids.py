"""Random ids: Meteor's shape, every character of the alphabet, no repeats."""

from collections import Counter

from chinwag.domain.ids import UNMISTAKABLE, invite_token, random_id


def test_ids_are_meteor_shaped_and_use_the_whole_alphabet_evenly() -> None:
    ids = [random_id() for _ in range(5000)]
    assert {len(i) for i in ids} == {17}
    assert len(set(ids)) == len(ids)
    counts = Counter("".join(ids))
    assert set(counts) == set(UNMISTAKABLE)
    expected = 17 * 5000 / len(UNMISTAKABLE)  # about 1,545 of each
    assert all(abs(n - expected) < expected * 0.2 for n in counts.values())
    assert len(invite_token()) == 24
