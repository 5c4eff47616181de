"""Pages ``/staff`` (政务公开办: the whole list) and ``/department`` (a department's own queue).

Both are shells: the data comes from /api/questions with the user's key, so the pages need no key themselves.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from search_api.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/staff", response_class=HTMLResponse)
def staff_page(request: Request) -> HTMLResponse:
    """The staff list: filters, counts per department, bulk send, question page, review, exports."""
    return templates.TemplateResponse(request, "staff.html", {})


@router.get("/department", response_class=HTMLResponse)
def department_page(request: Request) -> HTMLResponse:
    """A department's queue and answer form."""
    return templates.TemplateResponse(request, "department.html", {})
