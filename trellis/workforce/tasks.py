"""Background work for large imports. Each task runs in the worker inside the batch's organisation scope."""

from django.core.exceptions import ValidationError
from django.tasks import task
from django_scopes import scope, scopes_disabled


def _batch(batch_id):
    from .models import ImportBatch

    with scopes_disabled():
        return ImportBatch.objects.select_related("organisation").filter(pk=batch_id).first()


@task
def validate_import(batch_id):
    """Check every row of a staged import. Safe to run twice: it recomputes the preview."""
    from . import importer
    from .models import ImportBatch

    batch = _batch(batch_id)
    if batch is None or batch.status != ImportBatch.Status.VALIDATING:
        return
    with scope(organisation=batch.organisation):
        try:
            importer.validate_batch(batch)
        except Exception:
            ImportBatch.objects.filter(pk=batch.pk).update(
                status=ImportBatch.Status.FAILED, message="Checking the file failed. Upload it again, or contact support."
            )
            raise


@task
def apply_import(batch_id, membership_id, skip_invalid):
    from trellis.tenancy.models import Membership

    from . import actions
    from .models import ImportBatch

    batch = _batch(batch_id)
    if batch is None or batch.status != ImportBatch.Status.APPLYING:
        return
    with scopes_disabled():
        actor = Membership.objects.select_related("organisation").get(pk=membership_id)
    with scope(organisation=batch.organisation):
        try:
            actions.apply_import(batch, actor=actor, skip_invalid=skip_invalid)
        except ValidationError as error:
            ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.APPLYING).update(
                status=ImportBatch.Status.READY, message=" ".join(error.messages)
            )
        except Exception:
            ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.APPLYING).update(
                status=ImportBatch.Status.READY,
                message="Importing failed and nothing was changed. Try again, or contact support.",
            )
            raise
