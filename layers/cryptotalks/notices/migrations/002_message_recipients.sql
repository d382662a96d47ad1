-- Whom each message went to (an address, a number): SMS are limited per number as well as per account, and a
-- number may move from one account to another.
ALTER TABLE notices.messages_sent ADD COLUMN recipient text;
CREATE INDEX messages_sent_recipient ON notices.messages_sent (channel, recipient, sent_at);
