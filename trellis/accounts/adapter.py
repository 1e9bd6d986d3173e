from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # People join an organisation by invitation only (tenancy.actions.accept_invitation).
        return False
