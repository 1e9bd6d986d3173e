from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "trellis.portfolio"

    def ready(self):
        from trellis.pathway import evidence

        from .queries import cohorts_as_pathway_evidence

        # Preparation: "Identify priorities for supporting supervision and for PQS implementation",
        # whose ideas include choosing which supervisors start first and who mentors and assesses them.
        evidence.register("preparation-priorities", cohorts_as_pathway_evidence)
