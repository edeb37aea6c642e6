package dev.wabridge.reply;

import java.util.List;

/**
 * Replies as language models write them, for the formatter's property tests: GPT-style Markdown answers, answers
 * written for WhatsApp after a prompt asked for its formatting, and mixtures, with the identifiers, URLs, math and
 * prices that must come through untouched.
 */
final class LlmReplies {
  enum Style {
    /** Markdown throughout: {@code **bold**}, {@code *italic*}, headings, lists, links. */
    MARKDOWN,
    /** WhatsApp's own markers only: {@code *bold*}, {@code _italic_}, {@code ~strike~}, {@code ```mono```}. */
    WHATSAPP,
    /** Both in one reply. */
    MIXED
  }

  record Reply(String name, Style style, String text) {
    @Override
    public String toString() {
      return name;
    }
  }

  private LlmReplies() {
  }

  static final List<Reply> ALL = List.of(
      new Reply("gpt order status", Style.MARKDOWN, """
          ## Your order status

          Thanks for reaching out! Here's what I found for order **#48213**:

          - **Status:** Shipped
          - **Carrier:** DHL Express
          - **Tracking number:** `JD014600003828`
          - **Estimated delivery:** *Friday, March 14*

          You can track it here: [DHL tracking](https://www.dhl.com/track?id=JD014600003828).

          Let me know if there's anything else I can help with! 😊
          """),
      new Reply("gpt numbered steps", Style.MARKDOWN, """
          To reset your password, follow these steps:

          1. Open the app and tap **Settings**.
          2. Go to **Account** → **Security**.
          3. Tap *Reset password* and enter your email.
          4. Check your inbox for a link (it expires in **24 hours**).

          > **Tip:** if you don't see the email, check your spam folder.
          """),
      new Reply("gpt table of plans", Style.MARKDOWN, """
          Here's a comparison of our plans:

          | Plan | Price | Users | Support |
          |------|------:|:-----:|---------|
          | Basic | $9/mo | 1 | Email |
          | **Pro** | $29/mo | 5 | Chat & email |
          | Enterprise | Custom | Unlimited | 24/7 phone |

          Most small teams pick **Pro**.
          """),
      new Reply("gpt code answer", Style.MARKDOWN, """
          Sure! Here's how to call the API in Python:

          ```python
          import requests

          resp = requests.post("https://api.example.com/v1/orders", json={"sku": "A_100", "qty": 2})
          print(resp.json()["order_id"])
          ```

          Replace `A_100` with your **SKU** and you're done.
          """),
      new Reply("gpt nested lists", Style.MARKDOWN, """
          ### What's included

          * **Hardware**
            * Router (model *AX3000*)
            * Power adapter
          * **Software**
            * Mobile app for iOS and Android
            * Web dashboard at https://app.example.com/home_page

          ---

          Need help setting up? Reply **SETUP**.
          """),
      new Reply("gpt headings and bold", Style.MARKDOWN, """
          # Refund policy

          ## Eligibility
          You can request a refund within **30 days** of purchase, as long as the item is *unused*.

          ## How to request
          Email us at support@example.com with your order number. __Refunds take 5–7 business days.__
          """),
      new Reply("gpt strikethrough sale", Style.MARKDOWN, """
          🔥 **Flash sale!** The *Trail Runner 2* is now ~~$120~~ **$89** until Sunday.

          Sizes left: 38, 39, 42, 44.
          """),
      new Reply("gpt link list", Style.MARKDOWN, """
          Here are some helpful resources:

          1. [Getting started guide](https://docs.example.com/getting_started)
          2. [API reference](https://docs.example.com/api/v2/reference)
          3. [Community forum](https://forum.example.com/c/help_desk)

          Feel free to ask if anything is unclear.
          """),
      new Reply("gpt inline code and snake case", Style.MARKDOWN, """
          The error `invalid_grant` means your `refresh_token` expired. Call `POST /oauth/token` with \
          `grant_type=refresh_token` again, or set `max_retry_count` to **3** in `config_local.yaml`.
          """),
      new Reply("gpt math", Style.MARKDOWN, """
          Let's compute the total:

          - 3 boxes × $12.50 = **$37.50**
          - Shipping: $4.99
          - **Total: $42.49**

          (In code terms: `total = 3*12.50 + 4.99`.) Note that 2*3*4 = 24, so a 2×3×4 crate holds **24** units.
          """),
      new Reply("gpt faq", Style.MARKDOWN, """
          **Q: Do you ship internationally?**
          A: Yes! We ship to over *40 countries*. Delivery usually takes 7–14 days.

          **Q: Can I change my order?**
          A: Only within **2 hours** of placing it. After that, it's already being packed. 📦
          """),
      new Reply("gpt blockquote and emphasis", Style.MARKDOWN, """
          Our CEO said it best:

          > *"Customers don't care how much you know until they know how much you care."*

          That's why every ticket is answered by a **real person** within 1 hour.
          """),
      new Reply("gpt appointment", Style.MARKDOWN, """
          ✅ **Appointment confirmed**

          - **Date:** Tuesday, 12 May
          - **Time:** 10:30 AM
          - **Doctor:** Dr. Ana_Luiza Souza
          - **Address:** Rua das Flores, 123 – São Paulo

          To reschedule, reply with *RESCHEDULE* or visit [our site](https://clinic.example.com/appointments?id=a_77).
          """),
      new Reply("gpt troubleshooting", Style.MARKDOWN, """
          ### Troubleshooting Wi-Fi

          1. **Restart the router.** Unplug it for *30 seconds*.
          2. **Check the lights:**
             - Green: all good
             - Orange: no internet, call us
          3. **Run the test:** open http://192.168.0.1/status_page and press *Test*.

          If none of this works, we'll send a technician.
          """),
      new Reply("gpt recipe", Style.MARKDOWN, """
          ## Quick pancakes 🥞

          **Ingredients**
          - 1 cup flour
          - 1 egg
          - 3/4 cup milk
          - 1 tbsp sugar

          **Method**
          1. Whisk everything together.
          2. Cook on a hot pan, about *2 minutes* per side.

          *Enjoy!*
          """),
      new Reply("gpt setext and thematic", Style.MARKDOWN, """
          Summary
          =======

          Your balance is **R$ 1.250,00**.

          ***

          Next invoice: *June 5*.
          """),
      new Reply("whatsapp order shipped", Style.WHATSAPP, """
          *Order shipped* on _Friday_ 📦
          Tracking: JD014600003828
          """),
      new Reply("whatsapp promo", Style.WHATSAPP, """
          Hi Maria! 👋

          *This week only:* all sneakers are ~R$299~ *R$199* 🎉
          _Offer valid until Sunday._

          Reply *YES* to reserve your size.
          """),
      new Reply("whatsapp monospace code", Style.WHATSAPP, """
          Your voucher code is ```SPRING_2024``` — enter it at checkout.
          The promo ends at *23:59*.
          """),
      new Reply("whatsapp multi-line monospace", Style.WHATSAPP, """
          Here is your receipt:
          ```Item      Qty  Price
          Shirt     2    $40
          Total          $40```
          Thanks for shopping with us! _See you soon._
          """),
      new Reply("whatsapp bullets and quote", Style.WHATSAPP, """
          *Opening hours*
          • Mon–Fri: 9:00–18:00
          • Sat: 9:00–13:00
          • Sun: _closed_

          > Holidays may vary, check our Instagram @loja_centro.
          """),
      new Reply("whatsapp prices each", Style.WHATSAPP, """
          Sure! The caps are $5 *each*, or *3 for $12*. Sizes S, M and L are in stock.
          """),
      new Reply("whatsapp bold with punctuation", Style.WHATSAPP, """
          *Attention:* your appointment is *tomorrow, 10am*. Please arrive _15 minutes early_ (bring your ID!).
          Questions? Call (11) 4002-8922.
          """),
      new Reply("whatsapp numbered", Style.WHATSAPP, """
          To confirm, reply with a number:
          1. *Confirm* the appointment
          2. *Reschedule*
          3. _Cancel_ it
          """),
      new Reply("whatsapp inline code", Style.WHATSAPP, """
          Type `status` to check your order, or `help` to talk to a person. Order ref: ORD_2024_8812.
          """),
      new Reply("whatsapp strike correction", Style.WHATSAPP, """
          Sorry, a correction: delivery is ~Thursday~ *Friday* between _2pm and 6pm_.
          """),
      new Reply("whatsapp emoji heavy", Style.WHATSAPP, """
          🎂 *Happy birthday, João!* 🎉🎈
          Here's a gift: *15% off* your next order 🎁 with code ```BDAY15```.
          _Valid for 7 days._ 👨‍👩‍👧‍👦🇧🇷
          """),
      new Reply("mixed markdown heading whatsapp bold", Style.MIXED, """
          ## Your booking

          *Hotel Atlântico* – _Copacabana_
          - **Check-in:** 14:00
          - **Check-out:** 12:00
          - Breakfast: *included*

          Details: https://booking.example.com/r/ab_12*34
          """),
      new Reply("mixed code fence and whatsapp", Style.MIXED, """
          *Setup done!* ✅ Run this in your terminal:

          ```bash
          curl -X POST https://api.example.com/hook_test -d '{"event_type":"ping"}'
          ```

          Then check `last_event_id` in the dashboard. ~~Old method~~ no longer works.
          """),
      new Reply("mixed table and bold", Style.MIXED, """
          *Your order*

          | Item | Qty | Price |
          |---|---|---|
          | Coffee beans | 2 | $18 |
          | Filter_papers | 1 | $4 |

          *Total: $22* (free shipping over $20 ✨)
          """),
      new Reply("mixed link and underscores", Style.MIXED, """
          Check the manual at [this page](https://example.com/docs/user_guide_v2.pdf) or the FAQ: \
          https://example.com/faq#how_to_reset. Your user is *maria_silva_88*.
          """),
      new Reply("mixed math and emphasis", Style.MIXED, """
          The area is 5*4 = 20 m², so you need *2 boxes* (each covers 12 m²). \
          Formula: a*b, with a_1 = 5 and b_1 = 4. **Total: $64**.
          """),
      new Reply("mixed url with asterisks", Style.MIXED, """
          Search results: https://shop.example.com/search?q=*shoes*&sort=price_asc
          *Tip:* use filters to narrow it down. __Free returns__ on all orders.
          """),
      new Reply("plain sentence", Style.WHATSAPP, """
          Thanks for your message! A member of our team will get back to you shortly.
          """),
      new Reply("plain multi-line", Style.WHATSAPP, """
          Hello!
          Your package left the warehouse today.
          Expected delivery: 2-3 business days.
          """));
}
