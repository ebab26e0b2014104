from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.organization.scoping import scope_queryset

from . import registry, services
from .forms import CommitForm, UploadForm
from .models import ImportJob
from .reader import FileProblem, template_bytes


def _importer(request, kind):
    try:
        importer = registry.get(kind)
    except KeyError:
        raise Http404 from None
    if importer.permission and not request.user.has_perm(importer.permission):
        raise PermissionDenied
    return importer


def _job(request, pk) -> ImportJob:
    job = get_object_or_404(ImportJob, pk=pk)
    if job.created_by_id == request.user.pk:
        return job
    if not request.user.has_perm("imports.view_importjob") or not scope_queryset(
            ImportJob.objects.filter(pk=job.pk), request.user).exists():
        raise Http404
    return job


@login_required
def import_home(request):
    available = [imp for imp in registry.importers() if not imp.permission or request.user.has_perm(imp.permission)]
    if not available:
        raise PermissionDenied
    jobs = ImportJob.objects.filter(created_by=request.user)[:20]
    return render(request, "imports/home.html", {"importers": available, "jobs": jobs})


@login_required
def import_upload(request, kind):
    importer = _importer(request, kind)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_job_create(kind=kind, uploaded_file=form.cleaned_data["file"], acting_user=request.user)
        except FileProblem as problem:
            form.add_error("file", str(problem))
        else:
            return redirect("imports:job", pk=job.pk)
    return render(request, "imports/upload.html", {"importer": importer, "form": form})


@login_required
def import_template(request, kind):
    importer = _importer(request, kind)
    response = HttpResponse(template_bytes(importer), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.xlsx"'
    return response


def _job_context(job):
    progress = services.progress_get(job.pk)
    total = progress.get("total") or job.total_rows or 0
    done = progress.get("done") or 0
    percent = int(done * 100 / total) if total else None
    importer = registry.get(job.kind)
    initial = ImportJob.Mode.NEW_ONLY if job.existing_count else ImportJob.Mode.ALL_OR_NOTHING
    return {"job": job, "importer": importer, "progress": progress, "percent": percent, "done": done,
            "commit_form": CommitForm(initial={"mode": initial}, can_update=importer.can_update)}


@login_required
def import_job(request, pk):
    job = _job(request, pk)
    template = "imports/partials/job_status.html" if request.htmx else "imports/job.html"
    return render(request, template, _job_context(job))


@login_required
@require_POST
def import_commit(request, pk):
    job = _job(request, pk)
    form = CommitForm(request.POST, can_update=registry.get(job.kind).can_update)
    mode = form.cleaned_data["mode"] if form.is_valid() else ImportJob.Mode.ALL_OR_NOTHING
    if not services.import_job_start(job=job, acting_user=request.user, mode=mode):
        from django.contrib import messages

        messages.warning(request, _("This file is not ready to import, or its import has already started."))
    return redirect("imports:job", pk=job.pk)
