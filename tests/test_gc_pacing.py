"""The garbage-collector pacer: long-lived objects set aside, and still reclaimed in time."""

import gc
import weakref

from chinwag.gc_pacing import GcPacer


class Node:
    """An object in a reference cycle: only the cyclic collector can free it."""

    def __init__(self) -> None:
        self.me = self


def test_frozen_cyclic_garbage_waits_for_the_next_full_collection() -> None:
    now = [0.0]
    pacer = GcPacer(freeze_seconds=5, full_seconds=60, clock=lambda: now[0])
    try:
        node = Node()
        ref = weakref.ref(node)
        pacer.freeze()
        assert gc.get_freeze_count() > 0
        del node
        gc.collect()
        assert ref() is not None  # set aside: a full collection does not walk it
        now[0] = 30.0
        pacer.step()  # too soon for a full collection: frozen again
        assert ref() is not None
        now[0] = 61.0
        pacer.step()
        assert ref() is None
        assert pacer.last_full == 61.0
    finally:
        gc.unfreeze()


def test_young_garbage_is_collected_before_it_is_set_aside() -> None:
    pacer = GcPacer()
    try:
        node = Node()
        ref = weakref.ref(node)
        del node
        pacer.freeze()
        assert ref() is None
    finally:
        gc.unfreeze()
