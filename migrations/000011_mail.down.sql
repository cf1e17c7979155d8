DROP TABLE mailbox_messages;
DROP TABLE mailboxes;
DROP TABLE letter_scan_pages;
DROP TABLE letter_scans;
