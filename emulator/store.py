"""The emulator's state: JSON documents by kind and id, cached in memory, kept in SQLite.

Every request runs inside `transaction()`, which holds one lock (requests are served on
many threads, but state changes one request at a time), writes the documents the request
touched when it succeeds and restores them when it fails, so a failed call changes nothing.
"""
from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from typing import Any, Iterator

_SCHEMA = "CREATE TABLE IF NOT EXISTS docs (kind TEXT, id TEXT, seq INTEGER, body TEXT, PRIMARY KEY (kind, id))"


class Store:
    def __init__(self, path: str = ":memory:"):
        self.path = path
        self.lock = threading.RLock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL" if path != ":memory:" else "PRAGMA journal_mode=MEMORY")
        self._db.execute(_SCHEMA)
        self._docs: dict[str, dict[str, Any]] = {}
        self._seq = 0
        self._dirty: set[tuple[str, str]] = set()
        self._load()

    def _load(self) -> None:
        self._docs.clear()
        for kind, doc_id, seq, body in self._db.execute("SELECT kind, id, seq, body FROM docs ORDER BY seq"):
            self._docs.setdefault(kind, {})[doc_id] = json.loads(body)
            self._seq = max(self._seq, seq)

    # Reading and writing documents (call inside `transaction()`).
    def get(self, kind: str, doc_id: str) -> Any | None:
        """The live document: mutate it in place, then `touch` it."""
        return self._docs.get(kind, {}).get(doc_id)

    def all(self, kind: str) -> list[tuple[str, Any]]:
        """Every document of `kind`, oldest first."""
        return list(self._docs.get(kind, {}).items())

    def count(self, kind: str) -> int:
        return len(self._docs.get(kind, {}))

    def put(self, kind: str, doc_id: str, doc: Any) -> Any:
        self._docs.setdefault(kind, {})[doc_id] = doc
        self._dirty.add((kind, doc_id))
        return doc

    def touch(self, kind: str, doc_id: str) -> None:
        self._dirty.add((kind, doc_id))

    def delete(self, kind: str, doc_id: str) -> None:
        self._docs.get(kind, {}).pop(doc_id, None)
        self._dirty.add((kind, doc_id))

    @contextlib.contextmanager
    def transaction(self) -> Iterator["Store"]:
        with self.lock:
            self._dirty.clear()
            try:
                yield self
            except BaseException:
                self._restore()
                raise
            self._commit()

    def _commit(self) -> None:
        if not self._dirty:
            return
        self._db.execute("BEGIN")
        for kind, doc_id in self._dirty:
            doc = self._docs.get(kind, {}).get(doc_id)
            if doc is None:
                self._db.execute("DELETE FROM docs WHERE kind=? AND id=?", (kind, doc_id))
                continue
            row = self._db.execute("SELECT seq FROM docs WHERE kind=? AND id=?", (kind, doc_id)).fetchone()
            if row is None:
                self._seq += 1
                seq = self._seq
            else:
                seq = row[0]
            self._db.execute("INSERT OR REPLACE INTO docs VALUES (?, ?, ?, ?)",
                             (kind, doc_id, seq, json.dumps(doc, separators=(",", ":"))))
        self._db.execute("COMMIT")
        self._dirty.clear()

    def _restore(self) -> None:
        for kind, doc_id in self._dirty:
            row = self._db.execute("SELECT body FROM docs WHERE kind=? AND id=?", (kind, doc_id)).fetchone()
            bucket = self._docs.setdefault(kind, {})
            if row is None:
                bucket.pop(doc_id, None)
            else:
                bucket[doc_id] = json.loads(row[0])
        self._dirty.clear()
        self._reorder()

    def _reorder(self) -> None:
        """Keep every kind in creation order after a restore re-inserted documents."""
        order = {(k, i): s for k, i, s in self._db.execute("SELECT kind, id, seq FROM docs")}
        for kind, bucket in self._docs.items():
            items = sorted(bucket.items(), key=lambda kv: order.get((kind, kv[0]), float("inf")))
            self._docs[kind] = dict(items)

    def reset(self) -> None:
        with self.lock:
            self._db.execute("DELETE FROM docs")
            self._docs.clear()
            self._dirty.clear()

    def close(self) -> None:
        with self.lock:
            self._db.close()
