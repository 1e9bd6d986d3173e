from django.urls import path

from . import views

app_name = "portfolio"

# Each part of the portfolio app keeps its own block; keep new routes inside your part's block.
urlpatterns = [
    # --- cohorts ---
    path("cohorts/", views.cohort_list, name="cohort-list"),
    path("cohorts/add/", views.cohort_add, name="cohort-add"),
    path("cohorts/<uuid:pk>/", views.cohort_detail, name="cohort"),
    path("cohorts/<uuid:pk>/edit/", views.cohort_edit, name="cohort-edit"),
    path("cohorts/<uuid:pk>/end/", views.cohort_end, name="cohort-end"),
    path("cohorts/<uuid:pk>/people/", views.cohort_people, name="cohort-people"),
    path("cohorts/<uuid:pk>/supervisors/add/", views.cohort_add_supervisors, name="cohort-add-supervisors"),
    path("cohorts/<uuid:pk>/reviewers-and-moderators/", views.cohort_assessors, name="cohort-assessors"),
    path("cohorts/supervisors/<uuid:pk>/assign/", views.cohort_member_assign, name="cohort-member-assign"),
    path("cohorts/supervisors/<uuid:pk>/remove/", views.cohort_member_remove, name="cohort-member-remove"),
    path("cohorts/assessors/<uuid:pk>/remove/", views.assessor_remove, name="assessor-remove"),
    # --- evidence ---
    path("evidence/", views.evidence_list, name="evidence-list"),
    path("evidence/add/", views.evidence_add, name="evidence-add"),
    path("evidence/from-your-records/", views.evidence_add_from, name="evidence-add-from"),
    path("evidence/people/<uuid:pk>/", views.evidence_person, name="evidence-person"),
    path("evidence/people/<uuid:pk>/add/", views.evidence_person_add, name="evidence-person-add"),
    path("evidence/<uuid:pk>/", views.evidence_detail, name="evidence"),
    path("evidence/<uuid:pk>/edit/", views.evidence_edit, name="evidence-edit"),
    path("evidence/<uuid:pk>/delete/", views.evidence_delete, name="evidence-delete"),
    path("evidence/<uuid:pk>/evidences/add/", views.mapping_add, name="mapping-add"),
    path("evidence/mappings/<uuid:pk>/edit/", views.mapping_edit, name="mapping-edit"),
    path("evidence/mappings/<uuid:pk>/delete/", views.mapping_delete, name="mapping-delete"),
    path("evidence/<uuid:pk>/files/add/", views.evidence_file_add, name="evidence-file-add"),
    path("evidence/files/<uuid:pk>/", views.evidence_file, name="evidence-file"),
    path("evidence/files/<uuid:pk>/delete/", views.evidence_file_delete, name="evidence-file-delete"),
    path("evidence/<uuid:pk>/portfolios/add/", views.portfolio_item_add, name="portfolio-item-add"),
    path("evidence/<uuid:pk>/portfolios/remove/", views.portfolio_item_remove, name="portfolio-item-remove"),
    # --- workflow ---
    path("mine/", views.mine, name="mine"),
    path("waiting/", views.waiting, name="waiting"),
    path("portfolios/<uuid:pk>/", views.portfolio_detail, name="portfolio"),
    path("portfolios/<uuid:pk>/share/", views.share, name="share"),
    path("portfolios/<uuid:pk>/comment/", views.comment, name="comment"),
    path("portfolios/<uuid:pk>/submit/", views.submit, name="submit"),
    path("portfolios/<uuid:pk>/review/", views.review, name="review"),
    path("portfolios/<uuid:pk>/dispute/", views.dispute, name="dispute"),
    path("submissions/<uuid:pk>/", views.submission_detail, name="submission"),
    # --- moderation ---
    path("cohorts/<uuid:pk>/moderation/", views.moderation_list, name="moderation"),
    path("cohorts/<uuid:pk>/moderation/draw/", views.sample_draw, name="sample-draw"),
    path("moderations/<uuid:pk>/", views.moderation_second_mark, name="moderate"),
    path("moderations/<uuid:pk>/agreement/", views.moderation_agree, name="moderation-agree"),
    path("moderations/<uuid:pk>/moderator/", views.moderation_assign, name="moderation-assign"),
    path("moderations/<uuid:pk>/resolve/", views.moderation_resolve, name="resolve"),
    path("portfolios/<uuid:pk>/sign-off/", views.portfolio_sign_off, name="sign-off"),
    path("agreement/", views.agreement_report, name="agreement"),
    # --- exports and pathway feedback ---
    path("portfolios/<uuid:pk>/download.pdf", views.portfolio_export, {"file_format": "pdf"}, name="export-pdf"),
    path("portfolios/<uuid:pk>/download.docx", views.portfolio_export, {"file_format": "docx"}, name="export-docx"),
    path("cohorts/<uuid:pk>/summary.xlsx", views.cohort_export, name="cohort-export"),
    path("cohorts/<uuid:pk>/feedback/", views.questionnaire, name="questionnaire"),
    path("cohorts/<uuid:pk>/feedback/prepare/", views.questionnaire_start, name="questionnaire-start"),
    path("feedback/<uuid:pk>/settings/", views.questionnaire_edit, name="questionnaire-edit"),
    path("feedback/<uuid:pk>/questions/add/", views.question_add, name="question-add"),
    path("feedback/questions/<uuid:pk>/edit/", views.question_edit, name="question-edit"),
    path("feedback/questions/<uuid:pk>/delete/", views.question_delete, name="question-delete"),
    path("feedback/questions/<uuid:pk>/move/", views.question_move, name="question-move"),
    path("feedback/<uuid:pk>/open/", views.questionnaire_open, name="questionnaire-open"),
    path("feedback/<uuid:pk>/answer/", views.questionnaire_answer, name="questionnaire-answer"),
    path("cohorts/<uuid:pk>/feedback/results/", views.questionnaire_results, name="questionnaire-results"),
    path("cohorts/<uuid:pk>/feedback/results.xlsx", views.questionnaire_results_export, name="questionnaire-results-export"),
]
