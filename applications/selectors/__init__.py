"""Reads of the scholarship programme, for its views, the dashboards and the CMS.

The `*_get_*` functions fetch and authorise in one call (through `portal.permissions.allowed`
and the rules of `applications.rules`) and raise Http404 for anything the user may not see.
"""

from applications.selectors.applications import (
    application_get_for_call,
    application_get_for_viewer,
    application_get_own,
    application_list_for_applicant,
    application_list_for_call,
    application_state_counts,
    call_get_by_slug,
    call_get_for_manager,
    call_list_open,
    membership_list_for_user,
    scholarship_countries,
    staff_summary,
    with_relations,
)
from applications.selectors.audit import AUDIT_KINDS, AuditPage, AuditRow, audit_page
from applications.selectors.board import (
    Board,
    application_get_in_call,
    board_get,
    board_rows,
    suggestion_get,
)
from applications.selectors.completeness import Missing, missing_items
from applications.selectors.decisions import (
    DecisionsOverview,
    application_get_with_own_decision,
    award_letter_get,
    award_open_for_answer,
    decisions_overview,
)
from applications.selectors.review import (
    application_get_for_review,
    application_list_reviewable,
    assignment_get_for_reviewer,
    assignment_get_in_call,
    assignment_overview,
    conflicts_for_call,
    membership_get_own,
    membership_list_reviewers,
    review_get_for_manager,
    reviewer_queue,
    reviews_of,
    reviews_visible_to,
)

__all__ = [
    "AUDIT_KINDS",
    "AuditPage",
    "AuditRow",
    "Board",
    "DecisionsOverview",
    "Missing",
    "application_get_for_call",
    "application_get_for_review",
    "application_get_for_viewer",
    "application_get_in_call",
    "application_get_own",
    "application_get_with_own_decision",
    "application_list_for_applicant",
    "application_list_for_call",
    "application_list_reviewable",
    "application_state_counts",
    "assignment_get_for_reviewer",
    "assignment_get_in_call",
    "assignment_overview",
    "audit_page",
    "award_letter_get",
    "award_open_for_answer",
    "board_get",
    "board_rows",
    "call_get_by_slug",
    "call_get_for_manager",
    "call_list_open",
    "conflicts_for_call",
    "decisions_overview",
    "membership_get_own",
    "membership_list_for_user",
    "membership_list_reviewers",
    "missing_items",
    "review_get_for_manager",
    "reviewer_queue",
    "reviews_of",
    "reviews_visible_to",
    "scholarship_countries",
    "staff_summary",
    "suggestion_get",
    "with_relations",
]
