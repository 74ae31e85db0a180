"""Posts the stack's alerts to a Slack-compatible or Discord incoming webhook.

The alert topic invokes this function (asynchronously, through SNS) with every message published
to it: CloudWatch alarm state changes, RDS event notifications and EventBridge events. Each is
formatted as a few readable lines and posted as JSON that both Slack ("text") and Discord
("content") accept.

The webhook URL is a secret: it is read from Secrets Manager (WEBHOOK_SECRET_ARN), kept for the
life of the container, and never logged, nor put in an exception message. A 429 or a 5xx answer
is retried within the invocation (honouring Retry-After); if the webhook still refuses, the
function raises, so that Lambda retries the event and finally records it in the on-failure
queue. Any other 4xx (a deleted webhook, a malformed one) is logged by status and dropped:
retrying it cannot help.

Standard library only (boto3 comes with the Lambda runtime): nothing to vendor, nothing to patch.
"""

import json
import logging
import os
import time
import urllib.error
import urllib.parse
import urllib.request

LOG = logging.getLogger()
LOG.setLevel(logging.INFO)

# Discord refuses content over 2,000 characters; Slack's limit is far higher.
MAX_CHARS = 1900
# Attempts per invocation, the longest Retry-After honoured, and the request timeout (seconds).
ATTEMPTS = 4
MAX_RETRY_AFTER = 20.0
TIMEOUT = 10.0
# Time kept back for the last log line before Lambda's own timeout (milliseconds).
RESERVE_MS = 3000

STATE_MARK = {"ALARM": "\U0001F534", "OK": "\u2705", "INSUFFICIENT_DATA": "\u26AA"}

_url = None
_secrets = None


class DeliveryError(Exception):
    """The webhook could not be reached or kept refusing: Lambda should retry the event."""


def _secrets_client():
    global _secrets
    if _secrets is None:
        import boto3  # in the Lambda runtime; imported late so the tests need no AWS SDK

        _secrets = boto3.client("secretsmanager")
    return _secrets


def webhook_url():
    """Returns the webhook URL, read once per container from the secret."""
    global _url
    if _url is None:
        value = _secrets_client().get_secret_value(SecretId=os.environ["WEBHOOK_SECRET_ARN"])["SecretString"].strip()
        if value.startswith("{"):
            # A secret kept as JSON holds the URL under "url".
            value = str(json.loads(value).get("url", "")).strip()
        if not _allowed(value):
            # Never the value itself: it may be a URL with a typo, still a secret.
            raise ValueError("the webhook secret does not hold an https:// URL")
        _url = value
    return _url


def _allowed(url):
    # A space or control character would make urlopen raise InvalidURL, whose message quotes
    # the URL (the webhook's token) into the function's logs.
    if any(ord(c) <= 0x20 or ord(c) == 0x7F for c in url):
        return False
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return True
    # Plain HTTP only to this machine: the tests' stand-in webhook.
    return parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost", "::1")


def console_alarm_url(region, name):
    return "https://{0}.console.aws.amazon.com/cloudwatch/home?region={0}#alarmsV2:alarm/{1}".format(
        region, urllib.parse.quote(name, safe=""))


def _region_of(arn):
    parts = (arn or "").split(":")
    return parts[3] if len(parts) > 3 and parts[3] else os.environ.get("AWS_REGION", "")


def format_alarm(m):
    name = m.get("AlarmName", "?")
    new, old = m.get("NewStateValue", "?"), m.get("OldStateValue", "?")
    region = _region_of(m.get("AlarmArn", ""))
    lines = ["{0} *{1}* is {2} (was {3})".format(STATE_MARK.get(new, "\u2139\ufe0f"), name, new, old)]
    if m.get("AlarmDescription"):
        lines.append(m["AlarmDescription"])
    if m.get("NewStateReason"):
        lines.append("Reason: " + m["NewStateReason"])
    lines.append("Time: {0} \u00b7 Region: {1}".format(m.get("StateChangeTime", "?"), region or m.get("Region", "?")))
    if region:
        lines.append(console_alarm_url(region, name))
    return "\n".join(lines)


def format_rds(m):
    lines = ["\U0001F5C4\ufe0f RDS {0} *{1}*: {2}".format(m.get("Event Source", "event"), m.get("Source ID", "?"), m.get("Event Message", ""))]
    lines.append("Time: {0} \u00b7 Region: {1}".format(m.get("Event Time", "?"), _region_of(m.get("Source ARN", ""))))
    for key in ("Identifier Link", "Event ID"):
        if m.get(key):
            lines.append(m[key])
    return "\n".join(lines)


def format_event(m):
    lines = ["\U0001F4E3 *{0}* from {1}".format(m.get("detail-type", "event"), m.get("source", "?"))]
    lines.append("Time: {0} \u00b7 Region: {1} \u00b7 Account: {2}".format(m.get("time", "?"), m.get("region", "?"), m.get("account", "?")))
    if m.get("resources"):
        lines.append("Resources: " + ", ".join(m["resources"]))
    detail = json.dumps(m.get("detail", {}), sort_keys=True)
    lines.append("Detail: " + (detail if len(detail) <= 600 else detail[:600] + "\u2026"))
    return "\n".join(lines)


def format_message(subject, message):
    """Formats one SNS message: an alarm, an RDS event, an EventBridge event or plain text."""
    try:
        m = json.loads(message)
    except (TypeError, ValueError):
        m = None
    if isinstance(m, dict):
        if "AlarmName" in m and "NewStateValue" in m:
            text = format_alarm(m)
        elif "Event Message" in m or "Event Source" in m:
            text = format_rds(m)
        elif "detail-type" in m:
            text = format_event(m)
        else:
            text = (subject + "\n" if subject else "") + json.dumps(m, sort_keys=True)
    else:
        text = (subject + "\n" if subject else "") + str(message)
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS - 1] + "\u2026"


def _retry_after(err):
    """Seconds to wait before retrying a 429 or 5xx answer."""
    value = err.headers.get("Retry-After") if err.headers else None
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        return None


def post(url, text, remaining_ms=lambda: 60000):
    """Posts text to the webhook, retrying 429 and 5xx answers and network errors.

    Returns the HTTP status of the last answer (2xx, or a 4xx that retrying cannot fix). Raises
    DeliveryError when the webhook could not take the message in ATTEMPTS tries.
    """
    body = json.dumps({"text": text, "content": text}).encode()
    status = None
    for attempt in range(1, ATTEMPTS + 1):
        wait = 2.0 ** (attempt - 1)
        req = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json", "User-Agent": "webstack-alerts"})
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:
                LOG.info("webhook answered %d (attempt %d)", resp.status, attempt)
                return resp.status
        except urllib.error.HTTPError as err:
            status = err.code
            if status != 429 and status < 500:
                LOG.error("webhook answered %d: dropping the message (a retry cannot fix a %d)", status, status)
                return status
            after = _retry_after(err)
            if after is not None:
                wait = after
            LOG.warning("webhook answered %d (attempt %d of %d); retrying in %.1f s", status, attempt, ATTEMPTS, wait)
        except (urllib.error.URLError, OSError) as err:
            # The reason names no URL; the URL itself is never logged.
            status = None
            LOG.warning("webhook unreachable (%s, attempt %d of %d)", type(getattr(err, "reason", err)).__name__, attempt, ATTEMPTS)
        except Exception as err:  # noqa: BLE001: anything else may quote the URL (InvalidURL)
            # Only the exception's type: its message may quote the URL.
            raise DeliveryError("webhook request failed ({0})".format(type(err).__name__)) from None
        if attempt == ATTEMPTS:
            break
        if wait > MAX_RETRY_AFTER or wait * 1000 > remaining_ms() - RESERVE_MS - TIMEOUT * 1000:
            LOG.warning("not waiting %.1f s within this invocation: Lambda retries the event", wait)
            break
        time.sleep(wait)
    raise DeliveryError("webhook did not take the message (last status {0}); Lambda retries the event".format(status))


def handler(event, context):
    global _url
    remaining = getattr(context, "get_remaining_time_in_millis", lambda: 60000)
    for record in event.get("Records", []):
        sns = record.get("Sns", {})
        text = format_message(sns.get("Subject") or "", sns.get("Message", ""))
        try:
            status = post(webhook_url(), text, remaining)
        except DeliveryError:
            # The secret may have been rotated to a new URL: read it again next time.
            _url = None
            raise
        if status in (401, 403, 404):
            _url = None
        LOG.info("delivered %s (%d characters) with status %s", sns.get("MessageId", "?"), len(text), status)
    return {"delivered": len(event.get("Records", []))}
