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
def test_an_order_inserted_last_carries_its_number_and_so_does_its_history(center_a, reception_a, last, expected):
    """Reception inserts the order with the center's number as its last write (issue 21): the order,
    and its audit trail's "created" row by the clerk, carry the number; past 999,999 it grows."""
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
    assert list(RepairOrder.history.values_list("id", "number", "history_type", "history_user")) == [
        (order.pk, order.number, "+", reception_a.pk)]
    assert DocumentSequence.objects.get(scope=f"center:{center_a.pk}").last_number == last + 1


@pytest.mark.django_db
def test_reception_writes_the_order_once_with_its_number_and_the_rows_naming_it_before(center_a, reception_a):
    """One INSERT of the order and no UPDATE of it (each would write all its indexes again); its workflow
    log and tracking message, written before it, name it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from aftersales.messaging.models import Message
    from aftersales.repairs.models import RepairOrder
    from aftersales.repairs.services import reception_create
    from aftersales.workflow.engine import subject_log

    with CaptureQueriesContext(connection) as run:
        order = reception_create(center=center_a, acting_user=reception_a, description="سرد نمی‌کند",
                                 customer_mobile="09121234567", serial="ONCE-1")
    inserts = [q["sql"] for q in run.captured_queries if 'INSERT INTO "repairs_repairorder" (' in q["sql"]]
    updates = [q["sql"] for q in run.captured_queries if 'UPDATE "repairs_repairorder" ' in q["sql"]]
    assert (len(inserts), updates) == (1, [])
    assert RepairOrder.objects.get().pk == order.pk
    assert [entry.target.code for entry in subject_log(order)] == ["received"]
    assert Message.objects.get(ref=f"repairs.order:{order.pk}").event == "reception_created"


@pytest.mark.django_db
def test_a_reserved_key_is_never_handed_out_again(center_a, reception_a):
    """A reception rolled back after taking its order's key, then orders written by the ORM and by
    reception: every key is new and the rows stay in order."""
    from aftersales.core.numbering import document_pk_reserve
    from aftersales.repairs.models import RepairOrder
    from aftersales.repairs.services import reception_create

    def receive(serial):
        return reception_create(center=center_a, acting_user=reception_a, description="سرد نمی‌کند",
                                customer_mobile="09121234567", serial=serial)

    first = receive("KEY-1")

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        lost = document_pk_reserve(RepairOrder)
        raise Abort
    second = receive("KEY-2")
    assert lost > first.pk and second.pk > first.pk
    copied = RepairOrder.objects.get(pk=first.pk)
    copied.pk, copied.number, copied.tracking_code = None, "X-1", "COPY1"
    copied.save()  # the database's own key, after the reserved ones
    third = receive("KEY-3")
    assert len({first.pk, second.pk, copied.pk, third.pk}) == 4 and third.pk > copied.pk > second.pk
