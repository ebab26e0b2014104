"""A small IMAP4rev1 server for tests: enough of LOGIN, SELECT, UID SEARCH/FETCH/STORE and LOGOUT
for Python's imaplib, over a mailbox held in memory."""

import socketserver
import threading


class Mailbox:
    def __init__(self, user: str = "support@example.ir", password: str = "secret"):
        self.user, self.password = user, password
        self.mails: list[dict] = []  # {"uid": int, "raw": bytes, "seen": bool}
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def deliver(self, raw: bytes) -> None:
        self.mails.append({"uid": len(self.mails) + 1, "raw": raw, "seen": False})

    def start(self) -> "Mailbox":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        mailbox = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, text: str) -> None:
                self.wfile.write(text.encode() + b"\r\n")

            def handle(self):
                self.reply("* OK [CAPABILITY IMAP4rev1] stand-in ready")
                logged_in = False
                while True:
                    line = self.rfile.readline().decode().rstrip("\r\n")
                    if not line:
                        return
                    tag, _, rest = line.partition(" ")
                    command, _, args = rest.partition(" ")
                    command = command.upper()
                    if command == "CAPABILITY":
                        self.reply("* CAPABILITY IMAP4rev1")
                        self.reply(f"{tag} OK CAPABILITY completed")
                    elif command == "LOGIN":
                        user, password = (part.strip('"') for part in args.split(" ", 1))
                        logged_in = (user, password) == (mailbox.user, mailbox.password)
                        self.reply(f"{tag} OK LOGIN completed" if logged_in else f"{tag} NO [AUTHENTICATIONFAILED] invalid")
                    elif not logged_in and command != "LOGOUT":
                        self.reply(f"{tag} BAD not authenticated")
                    elif command == "SELECT":
                        self.reply(f"* {len(mailbox.mails)} EXISTS")
                        self.reply(f"{tag} OK [READ-WRITE] SELECT completed")
                    elif command == "UID":
                        self.uid(tag, args)
                    elif command == "LOGOUT":
                        self.reply("* BYE")
                        self.reply(f"{tag} OK LOGOUT completed")
                        return
                    else:
                        self.reply(f"{tag} BAD unknown command")

            def uid(self, tag: str, args: str) -> None:
                sub, _, rest = args.partition(" ")
                sub = sub.upper()
                if sub == "SEARCH":
                    uids = [str(mail["uid"]) for mail in mailbox.mails if not mail["seen"]]
                    self.reply("* SEARCH" + "".join(f" {uid}" for uid in uids))
                    self.reply(f"{tag} OK SEARCH completed")
                elif sub == "FETCH":
                    uid = int(rest.split(" ", 1)[0])
                    mail = mailbox.mails[uid - 1]
                    self.wfile.write(f"* {uid} FETCH (UID {uid} RFC822 {{{len(mail['raw'])}}}\r\n".encode() + mail["raw"] + b")\r\n")
                    self.reply(f"{tag} OK FETCH completed")
                elif sub == "STORE":
                    uid = int(rest.split(" ", 1)[0])
                    mailbox.mails[uid - 1]["seen"] = True
                    self.reply(f"* {uid} FETCH (UID {uid} FLAGS (\\Seen))")
                    self.reply(f"{tag} OK STORE completed")
                else:
                    self.reply(f"{tag} BAD unknown UID command")

        return Handler
