import threading

import pytest
from django.db import transaction

from aftersales.core.models import DocumentSequence
from aftersales.core.numbering import next_document_number


@pytest.mark.django_db
def test_numbers_run_per_scope_and_jalali_year():
    import datetime

    with transaction.atomic():
        first = next_document_number(scope="center:1", document_type="repair", on=datetime.date(2026, 3, 20))
        second = next_document_number(scope="center:1", document_type="repair", on=datetime.date(2026, 3, 20))
        other_center = next_document_number(scope="center:2", document_type="repair", on=datetime.date(2026, 3, 20))
        new_year = next_document_number(scope="center:1", document_type="repair", on=datetime.date(2026, 3, 21))
    assert (first, second, other_center, new_year) == ("1404-000001", "1404-000002", "1404-000001", "1405-000001")


@pytest.mark.django_db
def test_a_rolled_back_document_gives_its_number_back():
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        next_document_number(scope="c", document_type="invoice")
        raise Abort
    with transaction.atomic():
        assert next_document_number(scope="c", document_type="invoice").endswith("-000001")


@pytest.mark.django_db(transaction=True)
def test_refuses_to_number_outside_a_transaction():
    with pytest.raises(RuntimeError):
        next_document_number(scope="c", document_type="invoice")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_get_unique_gap_free_numbers():
    """Many users saving at once: every number once, none skipped, even when some saves fail."""
    workers, per_worker = 8, 15
    results, errors = [], []
    barrier = threading.Barrier(workers)

    def work(index):
        from django.db import connections

        try:
            barrier.wait()
            for attempt in range(per_worker):
                try:
                    with transaction.atomic():
                        number = next_document_number(scope="center:7", document_type="repair")
                        if (index + attempt) % 5 == 0:
                            raise ValueError("the document failed validation")  # its number must come back
                        results.append(number)
                except ValueError:
                    pass
        except Exception as error:  # surfaced in the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    sequence = sorted(int(number.split("-")[1]) for number in results)
    assert sequence == list(range(1, len(results) + 1))
    assert DocumentSequence.objects.get(scope="center:7").last_number == len(results)


@pytest.mark.django_db
@pytest.mark.parametrize("last, expected", [(0, "000001"), (41, "000042"), (999_999, "1000000")])
def test_a_document_saved_under_a_stand_in_gets_its_number_last_and_so_does_its_history(
        center_a, reception_a, last, expected):
    """Reception writes the order under a stand-in and takes the center's number as its last write
    (issue 21): the order, and every row of its audit trail, carry the number; past 999,999 it grows."""
    from aftersales.core.jalali import jalali_year
    from aftersales.repairs.models import RepairOrder
    from aftersales.repairs.services import reception_create

    year = jalali_year()
    if last:
        DocumentSequence.objects.create(scope=f"center:{center_a.pk}", document_type="repair", jalali_year=year,
                                        last_number=last)
    order = reception_create(center=center_a, acting_user=reception_a, description="سرد نمی‌کند",
                             customer_mobile="09121234567", serial="STAND-IN-1")
    assert order.number == f"{year}-{expected}"
    assert RepairOrder.objects.get().number == order.number
    assert set(RepairOrder.history.values_list("number", flat=True)) == {order.number}
    assert DocumentSequence.objects.get(scope=f"center:{center_a.pk}").last_number == last + 1
