from milestones.models import OutboxMessage
from milestones.services import outbox
from ssk_tracker.lib.audit import AuditedCommand


class Command(AuditedCommand):
    help = (
        "Send the outbox's due messages once, in the foreground: what Celery beat's sweep does every minute. "
        "For installations without a broker (eager mode), run it from cron; prints what is left."
    )

    def handle(self, *args, **options):
        sent = outbox.dispatch_pending()
        left = {
            status: OutboxMessage.objects.filter(status=status).count()
            for status in (OutboxMessage.Status.PENDING, OutboxMessage.Status.FAILED)
        }
        self.stdout.write(f"sent {sent}; pending {left['pending']}; failed {left['failed']}")
