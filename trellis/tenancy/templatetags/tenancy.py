from django import template

from trellis.tenancy import policy

register = template.Library()


@register.simple_tag(takes_context=True)
def allows(context, permission, obj=None):
    """{% allows "pathway.change_action" action as can_change %}: the policy's answer for this member."""
    return policy.allows(context.get("membership"), permission, obj)
