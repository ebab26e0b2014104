from django.dispatch import Signal

# Sent inside the transaction that keeps a received SMS or e-mail (not for «لغو» opt-outs), with
# ``inbound`` (an InboundMessage). Higher apps turn it into records, e.g. complaints (F53).
inbound_received = Signal()
