// A wabridge agent with no dependencies (Node 18 or newer): verifies X-Wabridge-Signature, answers every reply
// shape once, and shows reply_callback for slow answers.
//
// Run:  WABRIDGE_WEBHOOK_SECRET=whsec_... node server.mjs

import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";

const SECRET = process.env.WABRIDGE_WEBHOOK_SECRET ?? "";
const PORT = Number(process.env.PORT ?? 8001);
const HOST = process.env.HOST ?? "127.0.0.1";
const SLOW_SECONDS = Number(process.env.SLOW_SECONDS ?? 3);
const MAX_AGE_SECONDS = 300; // refuse replays: the signed timestamp must be within 5 minutes of now
const MAX_BODY = 1024 * 1024;
const NO_REPLY = "No CUSTOMER message reply";
const IMAGE_URL = "https://upload.wikimedia.org/wikipedia/commons/4/47/PNG_transparency_demonstration_1.png";

/** True when header is t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>"> and t is at most 5 minutes off. */
function signatureOk(header, rawBody) {
  if (!header) return false;
  const parts = header.split(",").map((p) => p.split("=", 2).map((s) => s.trim())).filter((p) => p.length === 2);
  const timestamps = parts.filter(([k]) => k === "t").map(([, v]) => v);
  const candidates = parts.filter(([k]) => k === "v1").map(([, v]) => v);
  if (timestamps.length !== 1 || !/^\d+$/.test(timestamps[0]) || candidates.length === 0) return false;
  const t = Number(timestamps[0]);
  if (Math.abs(Date.now() / 1000 - t) > MAX_AGE_SECONDS) return false;
  const expected = Buffer.from(
    createHmac("sha256", SECRET).update(`${t}.`).update(rawBody).digest("hex"));
  return candidates.some((c) => {
    const given = Buffer.from(c);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/**
 * Works in the background, then POSTs the answer to reply_callback (valid 24 hours, any number of times).
 * The same Idempotency-Key on every attempt means a retry never sends the customer the message twice.
 */
async function replyLater(callbackUrl, idempotencyKey, text) {
  await new Promise((resolve) => setTimeout(resolve, SLOW_SECONDS * 1000));
  const body = JSON.stringify({ type: "message", content: `Done thinking about: *${text}*` });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const res = await fetch(callbackUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": idempotencyKey },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      console.error(`reply_callback answered ${res.status}`);
      return;
    } catch (e) {
      console.error(`reply_callback attempt ${attempt + 1} failed: ${e.message}`);
      await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** attempt));
    }
  }
}

/** Your agent goes here. Returns a reply body (docs/contract.md section 6). */
function processMessage(message, customer, data) {
  const command = message.trim().toLowerCase();
  if (command === "image") {
    return { type: "image", url: IMAGE_URL, caption: "An image reply, with a *caption*" };
  }
  if (command === "buttons") {
    return {
      type: "buttons",
      content: "Did this help?",
      buttons: [{ id: "yes", title: "Yes" }, { id: "no", title: "No" }],
    };
  }
  if (command === "no reply") {
    return { content: NO_REPLY };
  }
  if (command === "slow" && data.reply_callback) {
    replyLater(data.reply_callback, data.message_id ?? data.reply_callback, message);
    return { type: "message", content: "Working on it, one moment..." };
  }
  if (data.image) {
    return { type: "message", content: `Nice picture, ${data.customer_name ?? customer}!` };
  }
  return { type: "message", content: `You said: *${message}*\n\nTry: image, buttons, slow, no reply` };
}

function send(res, status, body) {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}

const server = createServer((req, res) => {
  if (req.method !== "POST" || req.url !== "/webhook") {
    return send(res, 404, { error: "POST /webhook" });
  }
  const chunks = [];
  let size = 0;
  req.on("data", (chunk) => {
    size += chunk.length;
    if (size > MAX_BODY) {
      send(res, 413, { error: "body too large" });
      req.destroy();
    } else {
      chunks.push(chunk);
    }
  });
  req.on("end", () => {
    if (res.writableEnded) return;
    const raw = Buffer.concat(chunks);
    if (!signatureOk(req.headers["x-wabridge-signature"], raw)) {
      return send(res, 401, { error: "bad or stale X-Wabridge-Signature" });
    }
    let data;
    try {
      data = JSON.parse(raw.toString("utf8"));
    } catch {
      return send(res, 400, { error: "body is not JSON" });
    }
    if (data === null || typeof data !== "object" || Array.isArray(data)) {
      return send(res, 400, { error: "body is not a JSON object" });
    }
    send(res, 200, processMessage(String(data.message ?? ""), data.phone_number, data));
  });
});

if (!SECRET) {
  console.error("set WABRIDGE_WEBHOOK_SECRET to the agent's webhook_secret (shown once by POST /api/agents)");
  process.exit(1);
}
server.listen(PORT, HOST, () => console.log(`agent listening on http://${HOST}:${PORT}/webhook`));
