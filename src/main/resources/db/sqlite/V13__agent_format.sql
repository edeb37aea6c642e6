-- Keep in step with the other dialect's V13.
-- How each agent writes its text (markdown, whatsapp or auto), which decides how its replies are put into
-- WhatsApp's formatting. Existing agents get auto: WhatsApp's own markers kept, Markdown converted.
ALTER TABLE agents ADD COLUMN format TEXT NOT NULL DEFAULT 'auto';
