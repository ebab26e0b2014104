"""The leak matrix's world holds one record of every kind in center B."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_world_holds_center_b_records_of_every_kind(world):
    assert world.records["repairs.RepairOrder"].center == world.center_b
    assert len(world.markers) > 10
