"""Records elsewhere in Trellis that can be an outcome's evidence ("evidence in Trellis").

The pathway knows nothing of the apps that hold such records, and imports none of them: each app
registers, for the outcomes its records can evidence, a function that lists this organisation's records
as (link, label) pairs. The outcome form offers them, and the organisation's progress keeps the chosen
link with its label, so it still reads well if the record is later renamed or removed.
"""

from collections import defaultdict

_PROVIDERS = defaultdict(list)


def register(outcome_key, provider):
    """`provider(membership)` -> [(path, label)] of records that can evidence the outcome. Called from an
    app's `ready()`; registering the same provider twice has no effect."""
    if provider not in _PROVIDERS[outcome_key]:
        _PROVIDERS[outcome_key].append(provider)


def choices_for(membership, outcome):
    """[(path, label)]: the records this member's organisation could point at for `outcome`."""
    return [choice for provider in _PROVIDERS.get(outcome.key, ()) for choice in provider(membership)]
