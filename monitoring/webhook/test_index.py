"""Tests of index.py against a stand-in webhook on loopback and a fake Secrets Manager client.

Run by monitoring's Go tests (TestWebhookFunction) with `python3 -m unittest`; standard library
only, like the function.
"""

import http.client
import http.server
import json
import logging
import threading
import unittest

import index

TOKEN = "s3cr3t-t0ken-do-not-log"

ALARM = {
    "AlarmName": "webstack-prod-alb-5xx",
    "AlarmDescription": "The load balancer returned more than 10 5XX responses in 5 minutes.",
    "AlarmArn": "arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:webstack-prod-alb-5xx",
    "NewStateValue": "ALARM",
    "OldStateValue": "OK",
    "NewStateReason": "Threshold Crossed: 1 datapoint [42.0] was greater than the threshold (10.0).",
    "StateChangeTime": "2026-12-02T01:02:03.456+0000",
    "Region": "Asia Pacific (Seoul)",
}


class Webhook(http.server.BaseHTTPRequestHandler):
    """Answers each POST with the next scripted (status, headers) and records the body."""

    script = []
    bodies = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Webhook.bodies.append((self.path, json.loads(body)))
        status, headers = Webhook.script.pop(0) if Webhook.script else (204, {})
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class FakeSecrets:
    def __init__(self, value):
        self.value, self.calls = value, 0

    def get_secret_value(self, SecretId):
        assert SecretId == "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:webhook-AbCdEf"
        self.calls += 1
        return {"SecretString": self.value}


class Context:
    def get_remaining_time_in_millis(self):
        return 60000


def sns_event(message, subject=None):
    return {"Records": [{"Sns": {"MessageId": "m-1", "Subject": subject, "Message": message}}]}


class WebhookTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = http.server.HTTPServer(("127.0.0.1", 0), Webhook)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.url = "http://127.0.0.1:%d/api/webhooks/1/%s" % (cls.server.server_port, TOKEN)

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()

    def setUp(self):
        Webhook.script, Webhook.bodies = [], []
        self.secrets = FakeSecrets(self.url)
        index._secrets, index._url = self.secrets, None
        index.os.environ["WEBHOOK_SECRET_ARN"] = "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:webhook-AbCdEf"
        self.slept = []
        self.real_sleep = index.time.sleep
        index.time.sleep = self.slept.append

    def tearDown(self):
        index.time.sleep = self.real_sleep

    def invoke(self, event):
        with self.assertLogs(level="DEBUG") as logs:
            try:
                return index.handler(event, Context()), logs
            finally:
                for line in logs.output:
                    self.assertNotIn(TOKEN, line)
                    self.assertNotIn("127.0.0.1", line)

    def test_alarm_is_formatted_readably(self):
        text = index.format_message("ALARM: x", json.dumps(ALARM))
        self.assertIn("*webstack-prod-alb-5xx* is ALARM (was OK)", text)
        self.assertIn("Reason: Threshold Crossed", text)
        self.assertIn("Time: 2026-12-02T01:02:03.456+0000", text)
        self.assertIn("Region: ap-northeast-2", text)
        self.assertIn("https://ap-northeast-2.console.aws.amazon.com/cloudwatch/home?region=ap-northeast-2#alarmsV2:alarm/webstack-prod-alb-5xx", text)

    def test_rds_and_eventbridge_and_text(self):
        rds = index.format_message("RDS Notification Message", json.dumps({
            "Event Source": "db-instance", "Event Time": "2026-12-02 01:00:00.000", "Source ID": "webstack-prod-db",
            "Source ARN": "arn:aws:rds:ap-northeast-2:123456789012:db:webstack-prod-db", "Event Message": "Multi-AZ instance failover completed",
            "Identifier Link": "https://console.aws.amazon.com/rds/home?region=ap-northeast-2#dbinstance:id=webstack-prod-db"}))
        self.assertIn("RDS db-instance *webstack-prod-db*: Multi-AZ instance failover completed", rds)
        self.assertIn("Region: ap-northeast-2", rds)
        event = index.format_message(None, json.dumps({
            "detail-type": "AWS API Call via CloudTrail", "source": "aws.secretsmanager", "time": "2026-12-02T01:00:00Z",
            "region": "ap-northeast-2", "account": "123456789012", "resources": [], "detail": {"eventName": "RotationFailed"}}))
        self.assertIn("*AWS API Call via CloudTrail* from aws.secretsmanager", event)
        self.assertIn("RotationFailed", event)
        self.assertEqual(index.format_message("Subject", "plain words"), "Subject\nplain words")
        self.assertLessEqual(len(index.format_message(None, "x" * 5000)), index.MAX_CHARS)

    def test_posts_text_and_content_and_caches_the_url(self):
        self.invoke(sns_event(json.dumps(ALARM)))
        self.invoke(sns_event(json.dumps(ALARM)))
        self.assertEqual(len(Webhook.bodies), 2)
        path, body = Webhook.bodies[0]
        self.assertTrue(path.endswith(TOKEN))
        self.assertEqual(body["text"], body["content"])
        self.assertIn("webstack-prod-alb-5xx", body["text"])
        self.assertEqual(self.secrets.calls, 1, "the URL is read once per container")

    def test_json_secret(self):
        index._secrets = FakeSecrets(json.dumps({"url": self.url}))
        self.invoke(sns_event("hello"))
        self.assertEqual(len(Webhook.bodies), 1)

    def test_429_honours_retry_after(self):
        Webhook.script = [(429, {"Retry-After": "1.5"}), (429, {"Retry-After": "2"}), (200, {})]
        self.invoke(sns_event("hello"))
        self.assertEqual(len(Webhook.bodies), 3)
        self.assertEqual(self.slept, [1.5, 2.0])

    def test_5xx_backs_off(self):
        Webhook.script = [(502, {}), (503, {}), (204, {})]
        self.invoke(sns_event("hello"))
        self.assertEqual(len(Webhook.bodies), 3)
        self.assertEqual(self.slept, [1.0, 2.0])

    def test_persistent_failure_raises_so_lambda_retries(self):
        Webhook.script = [(500, {})] * index.ATTEMPTS
        with self.assertRaises(index.DeliveryError) as caught:
            self.invoke(sns_event("hello"))
        self.assertNotIn(TOKEN, str(caught.exception))
        self.assertEqual(len(Webhook.bodies), index.ATTEMPTS)
        self.assertIsNone(index._url, "the URL is read again after a failure")

    def test_long_retry_after_is_left_to_lambda(self):
        Webhook.script = [(429, {"Retry-After": "600"})]
        with self.assertRaises(index.DeliveryError):
            self.invoke(sns_event("hello"))
        self.assertEqual(self.slept, [])

    def test_unreachable_raises(self):
        index._secrets = FakeSecrets("http://127.0.0.1:1/" + TOKEN)
        with self.assertRaises(index.DeliveryError) as caught:
            self.invoke(sns_event("hello"))
        self.assertNotIn(TOKEN, str(caught.exception))

    def test_other_4xx_is_dropped_not_retried(self):
        Webhook.script = [(404, {})]
        result, logs = self.invoke(sns_event("hello"))
        self.assertEqual(result, {"delivered": 1})
        self.assertEqual(len(Webhook.bodies), 1)
        self.assertTrue(any("answered 404" in line for line in logs.output))

    def test_refuses_a_url_that_is_not_https(self):
        # A space or a control character in the URL would make urlopen raise InvalidURL, whose
        # message quotes the URL: refused before any request.
        for value in ("file:///etc/passwd", "http://hooks.slack.com/services/" + TOKEN, "not a url",
                      "https://hooks.slack.com/services/" + TOKEN + " x", "https://hooks.slack.com/services/\n" + TOKEN):
            index._secrets, index._url = FakeSecrets(value), None
            with self.assertRaises(ValueError) as caught:
                index.webhook_url()
            self.assertNotIn(TOKEN, str(caught.exception))

    def test_an_unexpected_error_never_quotes_the_url(self):
        real = index.urllib.request.urlopen

        def fail(req, timeout=None):
            raise http.client.InvalidURL("URL can't contain control characters. %r" % req.full_url)
        index.urllib.request.urlopen = fail
        try:
            with self.assertRaises(index.DeliveryError) as caught:
                index.post(self.url, "hello", lambda: 60000)
            self.assertNotIn(TOKEN, str(caught.exception))
            self.assertIsNone(caught.exception.__cause__)
        finally:
            index.urllib.request.urlopen = real


if __name__ == "__main__":
    logging.basicConfig()
    unittest.main()
