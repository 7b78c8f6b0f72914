"""Pages of the testing app (mounted at /testing/)."""

from django.urls import path

from chongdich.testing.views import campaigns, labs, results, samples, worklists

app_name = "testing"
urlpatterns = [
    path("", worklists.index, name="index"),
    path("samples/", samples.sample_list, name="samples"),
    path("samples/export.xlsx", samples.sample_export, name="samples_export"),
    path("samples/new/", samples.sample_create, name="sample_create"),
    path("samples/pool/new/", samples.pool_create, name="pool_create"),
    path("samples/<int:pk>/", samples.sample_detail, name="sample"),
    path("samples/<int:pk>/result/", results.sample_result, name="sample_result"),
    path("results/new/", results.result_entry, name="result_entry"),
    path("pending/", worklists.pending_list, name="pending"),
    path("positives/", worklists.positive_list, name="positives"),
    path("capacity/", worklists.capacity, name="capacity"),
    path("labs/", labs.lab_list, name="labs"),
    path("labs/new/", labs.lab_create, name="lab_create"),
    path("labs/<int:pk>/", labs.lab_detail, name="lab"),
    path("labs/<int:pk>/edit/", labs.lab_edit, name="lab_edit"),
    path("campaigns/", campaigns.campaign_list, name="campaigns"),
    path("campaigns/new/", campaigns.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/edit/", campaigns.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/targets/", campaigns.campaign_targets, name="campaign_targets"),
    path("campaigns/<int:pk>/targets/add/", campaigns.campaign_add, name="campaign_add"),
    path("campaigns/<int:pk>/targets/remove/", campaigns.campaign_remove, name="campaign_remove"),
    path("campaigns/<int:pk>/untested.xlsx", campaigns.campaign_untested_export, name="campaign_untested_export"),
]
