-- A sender claims the send-log rows it is about to mail ('sending', with `claim` naming the
-- claim and `claim_until` in Unix seconds), so two senders (two `run` processes, or `newsletter
-- send` beside one) never mail the same row; a claim left by a crashed sender expires.
ALTER TABLE newsletter_sends ADD COLUMN claim TEXT COLLATE "C";
ALTER TABLE newsletter_sends ADD COLUMN claim_until BIGINT;
