"""The access log (loggkontroll): who read which participant's personal data, when and why; and
the security event log (`security`): sign-ins, refusals, exports, erasures.

A low layer: every area that decrypts personal data writes here, and it imports no area.
"""
