"""A wabridge agent in Flask: verifies X-Wabridge-Signature, answers every reply shape once, and shows
reply_callback for slow answers.

Run:  WABRIDGE_WEBHOOK_SECRET=whsec_... python3 app.py
"""

import hashlib
import hmac
import json
import os
import sys
import threading
import time
import urllib.request

from flask import Flask, jsonify, request

SECRET = os.environ.get("WABRIDGE_WEBHOOK_SECRET", "")
PORT = int(os.environ.get("PORT", "8000"))
HOST = os.environ.get("HOST", "127.0.0.1")
SLOW_SECONDS = float(os.environ.get("SLOW_SECONDS", "3"))
MAX_AGE_SECONDS = 300  # refuse replays: the signed timestamp must be within 5 minutes of now
NO_REPLY = "No CUSTOMER message reply"
IMAGE_URL = "https://upload.wikimedia.org/wikipedia/commons/4/47/PNG_transparency_demonstration_1.png"

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024


def signature_ok(header, raw_body):
    """True when header is t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>"> and t is at most 5 minutes off."""
    if not header:
        return False
    parts = [p.split("=", 1) for p in header.split(",") if "=" in p]
    timestamps = [v.strip() for k, v in parts if k.strip() == "t"]
    candidates = [v.strip() for k, v in parts if k.strip() == "v1"]
    if len(timestamps) != 1 or not timestamps[0].isdigit() or not candidates:
        return False
    t = int(timestamps[0])
    if abs(time.time() - t) > MAX_AGE_SECONDS:
        return False
    expected = hmac.new(SECRET.encode(), f"{t}.".encode() + raw_body, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, c) for c in candidates)


def reply_later(callback_url, idempotency_key, text):
    """Works in the background, then POSTs the answer to reply_callback (valid 24 hours, any number of times).

    The same Idempotency-Key on every attempt means a retry never sends the customer the message twice."""
    time.sleep(SLOW_SECONDS)
    body = json.dumps({"type": "message", "content": f"Done thinking about: *{text}*"}).encode()
    for attempt in range(3):
        req = urllib.request.Request(callback_url, data=body, method="POST", headers={
            "Content-Type": "application/json", "Idempotency-Key": idempotency_key})
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                print(f"reply_callback answered {resp.status}", file=sys.stderr)
                return
        except Exception as e:  # noqa: BLE001 - an example: log and retry
            print(f"reply_callback attempt {attempt + 1} failed: {e}", file=sys.stderr)
            time.sleep(2 ** attempt)


def process_message(message, customer, data):
    """Your agent goes here. Returns a reply body (docs/contract.md section 6)."""
    command = message.strip().lower()
    if command == "image":
        return {"type": "image", "url": IMAGE_URL, "caption": "An image reply, with a *caption*"}
    if command == "buttons":
        return {"type": "buttons", "content": "Did this help?",
                "buttons": [{"id": "yes", "title": "Yes"}, {"id": "no", "title": "No"}]}
    if command == "no reply":
        return {"content": NO_REPLY}
    if command == "slow" and data.get("reply_callback"):
        key = data.get("message_id") or data["reply_callback"]
        threading.Thread(target=reply_later, args=(data["reply_callback"], key, message), daemon=True).start()
        return {"type": "message", "content": "Working on it, one moment..."}
    if data.get("image"):
        return {"type": "message", "content": f"Nice picture, {data.get('customer_name') or customer}!"}
    return {"type": "message", "content": f"You said: *{message}*\n\nTry: image, buttons, slow, no reply"}


@app.route("/webhook", methods=["POST"])
def handle_webhook():
    raw = request.get_data(cache=True)
    if not signature_ok(request.headers.get("X-Wabridge-Signature"), raw):
        return jsonify({"error": "bad or stale X-Wabridge-Signature"}), 401
    try:
        data = json.loads(raw)
    except ValueError:
        return jsonify({"error": "body is not JSON"}), 400
    if not isinstance(data, dict):
        return jsonify({"error": "body is not a JSON object"}), 400
    message = data.get("message") or ""
    customer = data.get("phone_number")
    return jsonify(process_message(message=message, customer=customer, data=data))


if __name__ == "__main__":
    if not SECRET:
        sys.exit("set WABRIDGE_WEBHOOK_SECRET to the agent's webhook_secret (shown once by POST /api/agents)")
    print(f"agent listening on http://{HOST}:{PORT}/webhook", flush=True)
    app.run(host=HOST, port=PORT)
