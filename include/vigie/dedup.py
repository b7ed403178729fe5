"""Deduplication: exact copies, near copies (wire stories republished) and stories.

Wire copy is republished by many outlets under their own titles, with a retouched lede, cuts or
an extra paragraph. Only the first copy (the earliest published; the baseline is known from the
start) goes on to the analysis; a later copy passes on only the sentences it adds. Articles that
tell the same event in their own words are not copies: they stay separate and share a story id,
which later stages use to count corroboration.

How it scales: every kept original stores its MinHash signature (``Article.minhash``) and its LSH
band keys (``MinhashBand`` rows, indexed on (band, key)). A lookup reads the rows that share one
of the new article's keys and the signatures of those few candidates, never the whole history,
and the index survives restarts because it is the store. Story keys live in the same table under
band numbers from ``STORY_BAND_OFFSET`` and include a time bucket, so a story lookup only meets
articles published within a few days.

The story rule: a kept article joins the story of the most similar kept article published within
STORY_WINDOW_DAYS whose salient tokens (numbers, uncommon long words) reach STORY_JACCARD;
otherwise it starts its own story (story_id = its id). Copies take their original's story.

Concurrency: each decision runs in its own transaction holding a lock (PostgreSQL advisory
transaction lock, SQLite write lock taken by BEGIN IMMEDIATE), so two workers never both keep
two copies of one story as originals.
"""

from __future__ import annotations

import hashlib
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache

import numpy as np
from datasketch import MinHash
from sqlalchemy import TextClause, and_, delete, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from vigie.boilerplate import is_boilerplate, strip_boilerplate
from vigie.config import Settings
from vigie.resources import load_data
from vigie.store.models import Article, MinhashBand
from vigie.text import normalise, sentences

# --- parameters: the one place; calibrated on tests/fixtures/dedup/pairs.yaml ----------------

# 128 permutations: the standard error of an estimated Jaccard is about 0.04 at 0.5, small
# enough for verification; more would only slow hashing (≈1 ms per article).
NUM_PERM = 128
# Fixed forever: stored signatures and band keys are only comparable with the same seed.
SEED = 20_251
# Word 4-grams: long enough that two outlets' own sentences on one event share almost none
# (rewrites measure < 0.1), short enough that a retouched lede still leaves most shingles.
SHINGLE_WORDS = 4
# 42 bands of 3 rows (126 of the 128 values): a pair becomes a candidate with probability 0.61
# at Jaccard 0.28, 0.89 at 0.37, 0.99 at 0.5, but only 5e-6 at 0.005 (unrelated news) and 1e-3
# at 0.03 (same-topic articles sharing stock phrases). Two copies of one wire story cut
# differently measure 0.3-0.4 in the labelled set and must meet; 4 rows would miss half of them.
BANDS, ROWS = 42, 3
# A candidate is a copy when its estimated Jaccard reaches NEAR_JACCARD, or when the smaller
# text is at least NEAR_CONTAINMENT inside the larger (a cut copy, an extra paragraph), the
# containment estimated from the Jaccard and the shingle counts. In the labelled set copies
# measure ≥ 0.28 Jaccard and ≥ 0.5 containment, different articles (even one event told by two
# outlets) ≤ 0.05 and ≤ 0.11: the thresholds sit in that gap, nearer the copies' side.
NEAR_JACCARD = 0.4
NEAR_CONTAINMENT = 0.5
# Stories compare salient tokens: numbers, and words of 6+ letters that are not common in news
# (data/common_words.yaml) cut to 6 letters. Outlets rewriting one event keep its names, places
# and figures: story pairs measure 0.18-0.33 in the labelled set, different events of the same
# topic and days ≤ 0.16. 48 bands of 2 rows find a pair at 0.2 with probability 0.86 and at
# 0.28 with 0.98 (32 bands missed a quarter of the story pairs); STORY_JACCARD then verifies on
# all 128 values (64 would leave ±0.05 of noise).
STORY_PERM = 128
STORY_BANDS, STORY_ROWS = 48, 2
STORY_SEED = 7_919
STORY_JACCARD = 0.17
STORY_WORD_LETTERS = 6
# A story is an event: articles more than this apart are not grouped. Keys carry the bucket
# (days // STORY_WINDOW_DAYS); a lookup asks for the bucket before, its own and the one after.
STORY_WINDOW_DAYS = 3
STORY_BAND_OFFSET = 1000
# Any fixed 64-bit number: the PostgreSQL advisory lock that serialises dedup decisions.
PG_LOCK_KEY = 0x5669_6769_6544_6470  # "VigieDdp"

_SIGNATURE_VERSION = 1
_HEADER = struct.Struct("<BII")

# --- normalisation and sentences --------------------------------------------------------------

_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"\d+(?:[ .,]\d{3})*")


def _sentence_key(sentence: str) -> str:
    return normalise(sentence).rstrip(' .!?"')


def new_sentences(old: str, new: str) -> list[str]:
    """Sentences of ``new`` that ``old`` does not hold (compared normalised), in order.

    A sentence counts as held when it is one of ``old``'s sentences or appears inside ``old`` as
    whole words, so a different sentence split of the same text adds nothing. Boilerplate lines
    ("(Avec AFP)", "Lire aussi…") are never new.
    """
    known = {_sentence_key(s) for s in sentences(old)}
    known_text = normalise(old)
    added: list[str] = []
    for sentence in sentences(new):
        key = _sentence_key(sentence)
        if not key or key in known or is_boilerplate(sentence):
            continue
        if re.search(rf"(?<!\w){re.escape(key)}(?!\w)", known_text):
            continue
        added.append(sentence)
    return added


# --- fingerprints -----------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return _WORD.findall(normalise(strip_boilerplate(text)))


def text_hash(text: str) -> str:
    """SHA-256 of the words of the text: equal for copies that differ only in typography,
    spacing, case, punctuation or boilerplate lines."""
    return hashlib.sha256(" ".join(_words(text)).encode()).hexdigest()


def shingles(text: str) -> set[bytes]:
    """The word SHINGLE_WORDS-grams of the text (the whole text when shorter)."""
    words = _words(text)
    if len(words) <= SHINGLE_WORDS:
        return {" ".join(words).encode()} if words else set()
    return {
        " ".join(words[i : i + SHINGLE_WORDS]).encode()
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }


@cache
def _common_words() -> frozenset[str]:
    data = load_data("common_words.yaml")
    return frozenset(normalise(w) for w in data["words"])


def story_features(text: str) -> set[bytes]:
    """Salient tokens: numbers (digit groups joined) and uncommon long words cut to a stem."""
    clean = normalise(strip_boilerplate(text))
    numbers = {re.sub(r"\D", "", n) for n in _NUMBER.findall(clean)}
    common = _common_words()
    words = {
        w[:STORY_WORD_LETTERS]
        for w in _WORD.findall(_NUMBER.sub(" ", clean))
        if len(w) >= STORY_WORD_LETTERS and not w.isdigit() and w not in common
    }
    return {f"#{n}".encode() for n in numbers if n} | {w.encode() for w in words}


@cache
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    return MinHash(num_perm=num_perm, seed=seed).permutations


def _minhash(items: set[bytes], num_perm: int, seed: int) -> MinHash:
    mh = MinHash(
        num_perm=num_perm, seed=seed, permutations=_permutations(num_perm, seed), scheme="affine32"
    )
    if items:
        mh.update_batch(list(items))
    return mh


def signature(text: str) -> MinHash:
    """The MinHash of the text's shingles (datasketch 2.0, affine32, NUM_PERM, SEED)."""
    return _minhash(shingles(text), NUM_PERM, SEED)


@dataclass(frozen=True)
class Fingerprint:
    """What deduplication stores and compares about one text."""

    text_hash: str
    hashvalues: np.ndarray  # NUM_PERM uint32
    size: int  # number of shingles
    story_hashvalues: np.ndarray  # STORY_PERM uint32
    story_size: int

    def to_bytes(self) -> bytes:
        """Version, sizes, then both signatures as little-endian uint32 (Article.minhash)."""
        return (
            _HEADER.pack(_SIGNATURE_VERSION, self.size, self.story_size)
            + self.hashvalues.astype("<u4").tobytes()
            + self.story_hashvalues.astype("<u4").tobytes()
        )

    @classmethod
    def from_bytes(cls, data: bytes, text_hash: str = "") -> Fingerprint:
        version, size, story_size = _HEADER.unpack_from(data)
        if version != _SIGNATURE_VERSION:
            raise ValueError(f"signature version {version}, expected {_SIGNATURE_VERSION}")
        start = _HEADER.size
        values = np.frombuffer(data, dtype="<u4", count=NUM_PERM, offset=start)
        story = np.frombuffer(data, dtype="<u4", count=STORY_PERM, offset=start + 4 * NUM_PERM)
        return cls(text_hash, values, size, story, story_size)

    def band_keys(self) -> list[tuple[int, int]]:
        """(band, key) of the dedup LSH bands."""
        keys = band_keys(self.hashvalues[None, :], BANDS, ROWS, salt=0)[0]
        return [(band, int(key)) for band, key in enumerate(keys)]

    def story_band_keys(self, bucket: int) -> list[tuple[int, int]]:
        """(band, key) of the story LSH bands in one time bucket."""
        keys = band_keys(self.story_hashvalues[None, :], STORY_BANDS, STORY_ROWS, salt=bucket)[0]
        return [(STORY_BAND_OFFSET + band, int(key)) for band, key in enumerate(keys)]


_MIX = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93],
    dtype=np.uint64,
)


def band_keys(values: np.ndarray, bands: int, rows: int, *, salt: int = 0) -> np.ndarray:
    """64-bit keys (int64) of each band of each signature row: ``values`` is (n, perms) uint32.

    A multiply-xorshift mix of the band's values, its number and ``salt`` (the story time
    bucket): vectorised, so a million signatures are keyed in seconds (bench/dedup.py).
    """
    n = values.shape[0]
    v = values[:, : bands * rows].reshape(n, bands, rows).astype(np.uint64)
    with np.errstate(over="ignore"):
        h = np.arange(1, bands + 1, dtype=np.uint64) * _MIX[3]
        h = np.broadcast_to(h ^ np.uint64(salt & 0xFFFF_FFFF_FFFF_FFFF), (n, bands)).copy()
        for j in range(rows):
            h = (h ^ v[:, :, j]) * _MIX[j % 3]
            h ^= h >> np.uint64(29)
    return h.view(np.int64)


def fingerprint(text: str) -> Fingerprint:
    """The text's hash, shingle signature and story signature."""
    items = shingles(text)
    features = story_features(text)
    return Fingerprint(
        text_hash=text_hash(text),
        hashvalues=_minhash(items, NUM_PERM, SEED).hashvalues.astype(np.uint32),
        size=len(items),
        story_hashvalues=_minhash(features, STORY_PERM, STORY_SEED).hashvalues.astype(np.uint32),
        story_size=len(features),
    )


# --- comparisons (pure) ------------------------------------------------------------------------


@dataclass(frozen=True)
class Similarity:
    jaccard: float
    containment: float

    @property
    def is_copy(self) -> bool:
        return self.jaccard >= NEAR_JACCARD or self.containment >= NEAR_CONTAINMENT

    @property
    def score(self) -> float:
        return max(self.jaccard, self.containment)


def similarity(a: Fingerprint, b: Fingerprint) -> Similarity:
    """Estimated Jaccard of the shingle sets, and containment of the smaller in the larger.

    |A∩B| = J(|A|+|B|)/(1+J), so the containment of the smaller set follows from the Jaccard
    and the shingle counts stored with the signature.
    """
    if a.text_hash == b.text_hash and a.text_hash:
        return Similarity(1.0, 1.0)
    jaccard = float(np.mean(a.hashvalues == b.hashvalues))
    smaller = min(a.size, b.size)
    if smaller == 0:
        return Similarity(jaccard, 0.0)
    inter = jaccard * (a.size + b.size) / (1 + jaccard)
    return Similarity(jaccard, min(1.0, inter / smaller))


def story_similarity(a: Fingerprint, b: Fingerprint) -> float:
    """Estimated Jaccard of the salient tokens."""
    if not a.story_size or not b.story_size:
        return 0.0
    return float(np.mean(a.story_hashvalues == b.story_hashvalues))


def shares_band(a: Fingerprint, b: Fingerprint) -> bool:
    """Would the dedup index offer one as a candidate for the other?"""
    return bool(set(a.band_keys()) & set(b.band_keys()))


def shares_story_band(a: Fingerprint, b: Fingerprint) -> bool:
    return bool(set(a.story_band_keys(0)) & set(b.story_band_keys(0)))


def is_copy(original: Fingerprint, later: Fingerprint) -> bool:
    """The decision the stage takes for one pair: found by the index, then verified."""
    if original.text_hash == later.text_hash:
        return True
    return shares_band(original, later) and similarity(original, later).is_copy


def same_story(a: Fingerprint, b: Fingerprint) -> bool:
    """The story decision for two articles published within the window."""
    return shares_story_band(a, b) and story_similarity(a, b) >= STORY_JACCARD


def is_story_pair(a: Fingerprint, b: Fingerprint, a_when: datetime, b_when: datetime) -> bool:
    """The story decision for two kept articles: time window, shared story band, verification."""
    if abs((a_when - b_when).total_seconds()) > STORY_WINDOW_DAYS * 86_400:
        return False
    keys = set(a.story_band_keys(time_bucket(a_when)))
    found = any(keys & set(b.story_band_keys(bucket)) for bucket in _neighbour_buckets(b_when))
    return found and story_similarity(a, b) >= STORY_JACCARD


def time_bucket(when: datetime) -> int:
    """The story time bucket: whole STORY_WINDOW_DAYS periods since the epoch."""
    return int(_utc(when).timestamp() // (STORY_WINDOW_DAYS * 86_400))


def _neighbour_buckets(when: datetime) -> tuple[int, int, int]:
    bucket = time_bucket(when)
    return bucket - 1, bucket, bucket + 1


def _utc(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


# --- the stage ---------------------------------------------------------------------------------


@dataclass
class DedupReport:
    """What one dedup run decided (plain data: XCom carries it)."""

    processed: int = 0
    unique: int = 0
    near_duplicates: int = 0
    exact_duplicates: int = 0
    skipped: int = 0
    stories_grown: int = 0
    superseded: int = 0
    grown: set[int] = field(default_factory=set, repr=False)

    def summary(self) -> str:
        def n(count: int, word: str, plural: str = "") -> str:
            return f"{count} {word if count == 1 else plural or word + 's'}"

        line = (
            f"{n(self.processed, 'article')}: {self.unique} unique, "
            f"{n(self.near_duplicates, 'near duplicate')}, "
            f"{n(self.exact_duplicates, 'exact duplicate')}"
        )
        if self.skipped:
            line += f", {self.skipped} skipped"
        line += f"; {n(self.stories_grown, 'story', 'stories')} grown"
        if self.superseded:
            line += f"; {self.superseded} earlier copies took over as original"
        return line


_NOT_INDEXED = ("new", "duplicate", "fetched")
_FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)


def _order_key(article: Article) -> tuple[int, datetime, int]:
    """First copy first: the baseline before anything, then by publication, then by arrival."""
    return (0 if article.baseline else 1, _utc(article.published or _FAR_FUTURE), article.id)


def _when(article: Article) -> datetime:
    return _utc(article.published or article.created_at or datetime.now(UTC))


def _label(article: Article) -> str:
    return article.seed_name or article.canonical_url or article.url


def dedup_pending(session: Session, settings: Settings, *, limit: int | None = None) -> DedupReport:
    """Decide exact duplicate / near duplicate / unique for every article waiting ("new").

    Baseline first, then oldest published first, so the first copy is kept. Each decision is
    committed on its own, under the dedup lock, so several workers can run this at once.
    ``settings`` is taken for the stage's uniform signature; everything dedup needs is here.
    """
    del settings
    session.commit()
    query = (
        select(Article.id)
        .where(Article.status == "new")
        .order_by(
            Article.baseline.desc(),
            Article.published.is_(None),
            Article.published,
            Article.id,
        )
        .limit(limit)
    )
    ids = list(session.scalars(query))
    session.commit()
    report = DedupReport()
    for article_id in ids:
        dedup_article(session, article_id, report)
    report.stories_grown = len(report.grown)
    return report


def _lock(session: Session) -> None:
    """Serialise decisions across processes: the lock lasts until the transaction ends."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK_KEY})
    elif dialect == "sqlite":
        session.connection().exec_driver_sql("BEGIN IMMEDIATE")


def dedup_article(session: Session, article_id: int, report: DedupReport | None = None) -> None:
    """Decide one waiting article in its own locked transaction (committed on return)."""
    report = report if report is not None else DedupReport()
    article = session.get(Article, article_id)
    if article is None or article.status != "new":
        session.commit()
        return
    body = article.text or ""
    fp = fingerprint(body) if _WORD.search(body) else None
    session.commit()  # signatures are computed outside the lock; decisions inside it
    _lock(session)
    article = session.get(Article, article_id, populate_existing=True)
    if article is None or article.status != "new":
        session.commit()  # another worker decided it meanwhile
        return
    if (article.text or "") != body:
        body = article.text or ""
        fp = fingerprint(body) if _WORD.search(body) else None
    report.processed += 1
    session.execute(delete(MinhashBand).where(MinhashBand.article_id == article.id))
    if fp is None:
        article.status = "skipped"
        article.reason = "no text to compare: empty after extraction"
        report.skipped += 1
        session.commit()
        return
    original, sim, exact = _find_original(session, article, fp)
    if original is None:
        _keep(session, article, fp, report)
        report.unique += 1
    elif _order_key(article) < _order_key(original):
        # a late arrival published before the copy we kept: it takes over as the original
        _keep(session, article, fp, report, story_of=original)
        _mark_duplicate(session, original, article, sim, exact)
        report.unique += 1
        report.superseded += 1
    else:
        article.text_hash, article.minhash = fp.text_hash, fp.to_bytes()
        _mark_duplicate(session, article, original, sim, exact)
        if exact:
            report.exact_duplicates += 1
        else:
            report.near_duplicates += 1
    session.commit()


def _find_original(
    session: Session, article: Article, fp: Fingerprint
) -> tuple[Article | None, float, bool]:
    """The kept original that ``article`` copies (exact text first, then the LSH index)."""
    kept = and_(
        Article.id != article.id,
        Article.duplicate_of_id.is_(None),
        Article.status.not_in(_NOT_INDEXED),
    )
    exact = session.scalars(
        select(Article).where(kept, Article.text_hash == fp.text_hash).limit(5)
    ).all()
    if exact:
        return min(exact, key=_order_key), 1.0, True
    ids = _band_hits(session, fp.band_keys()) - {article.id}
    best: tuple[float, tuple, Article] | None = None
    if ids:
        for candidate in session.scalars(select(Article).where(kept, Article.id.in_(ids))):
            if candidate.minhash is None:
                continue
            sim = similarity(fp, Fingerprint.from_bytes(candidate.minhash, candidate.text_hash))
            if not sim.is_copy:
                continue
            rank = (-sim.score, _order_key(candidate))
            if best is None or rank < best[:2]:
                best = (-sim.score, _order_key(candidate), candidate)
    if best is None:
        return None, 0.0, False
    return best[2], -best[0], False


def _band_hits(session: Session, keys: list[tuple[int, int]]) -> set[int]:
    """Articles holding any of the (band, key) pairs: one indexed probe per pair."""
    params = {}
    for i, (band, key) in enumerate(keys):
        params[f"b{i}"], params[f"k{i}"] = band, key
    return set(session.scalars(_band_query(len(keys)), params))


@cache
def _band_query(count: int) -> TextClause:
    """One OR of (band, key) equalities: SQLite and PostgreSQL probe the index once per term.

    Written as text and cached per size, because building the same expression with the ORM
    on every lookup costs more than the lookup itself.
    """
    terms = " OR ".join(f"(band = :b{i} AND key = :k{i})" for i in range(count))
    return text(f"SELECT DISTINCT article_id FROM minhash_bands WHERE {terms}")


def _keep(
    session: Session,
    article: Article,
    fp: Fingerprint,
    report: DedupReport,
    story_of: Article | None = None,
) -> None:
    """Keep ``article`` as an original: signature, band rows, story."""
    article.status = "unique"
    article.reason = None
    article.duplicate_of_id = None
    article.text_hash, article.minhash = fp.text_hash, fp.to_bytes()
    when = _when(article)
    if story_of is not None:
        article.story_id = story_of.story_id or story_of.id
    else:
        article.story_id = _find_story(session, article, fp, when) or article.id
    if article.story_id != article.id:
        report.grown.add(article.story_id)
    rows = fp.band_keys() + fp.story_band_keys(time_bucket(when))
    session.add_all(MinhashBand(article_id=article.id, band=b, key=k) for b, k in rows)


def _find_story(session: Session, article: Article, fp: Fingerprint, when: datetime) -> int | None:
    """The story of the most similar kept article published within the window, if any."""
    keys = [key for bucket in _neighbour_buckets(when) for key in fp.story_band_keys(bucket)]
    ids = _band_hits(session, keys) - {article.id}
    if not ids:
        return None
    best: tuple[float, int] | None = None
    for candidate in session.scalars(select(Article).where(Article.id.in_(ids))):
        if candidate.minhash is None:
            continue
        if abs((_when(candidate) - when).total_seconds()) > STORY_WINDOW_DAYS * 86_400:
            continue
        score = story_similarity(fp, Fingerprint.from_bytes(candidate.minhash))
        if score >= STORY_JACCARD and (best is None or score > best[0]):
            best = (score, candidate.story_id or candidate.id)
    return best[1] if best else None


def _mark_duplicate(
    session: Session, copy: Article, original: Article, sim: float, exact: bool
) -> None:
    """Point ``copy`` at ``original``; only the sentences it adds go on to the analysis."""
    copy.duplicate_of_id = original.id
    copy.story_id = original.story_id or original.id
    kind = "exact duplicate" if exact else "near duplicate"
    copy.reason = f"{kind} of {_label(original)} (similarity {sim:.2f})"
    if copy.status in ("new", "unique"):
        copy.status = "duplicate"
    own = new_sentences(original.text or "", copy.text or "") if not exact else []
    copy.new_sentences = own or None
    session.execute(delete(MinhashBand).where(MinhashBand.article_id == copy.id))
    session.execute(
        update(Article)
        .where(Article.duplicate_of_id == copy.id)
        .values(duplicate_of_id=original.id, story_id=copy.story_id)
    )


# --- second copies: a page stored again under an address already held ---------------------------
#
# A canonical URL belongs to one article. A page fetched again under it (another feed's link, a
# seed file that changed, a republished story) is a second copy: the same text is a duplicate,
# a changed text an update whose new sentences alone go on to the analysis. Extraction asks
# these questions as it stores each page; the answers are deduplication's.


def canonical_holders(session: Session, canonicals: Sequence[str]) -> dict[str, Article]:
    """The articles already holding these canonical URLs: one query per batch, not per page."""
    if not canonicals:
        return {}
    rows = session.scalars(select(Article).where(Article.canonical_url.in_(set(canonicals))))
    return {article.canonical_url: article for article in rows if article.canonical_url}


def claim_canonicals(
    session: Session, claims: Sequence[tuple[Article, str]], claimed: dict[str, Article]
) -> list[Article | None]:
    """Take each canonical URL for its article, in order; returns, for each claim, the article
    already holding the address (None when the claim took it).

    ``claimed``: the holders read for this batch (see ``canonical_holders``), kept up to date
    here. The batch's claims are written at once, in one savepoint; another process may take an
    address meanwhile, and then the unique constraint refuses the batch, which is claimed again
    one article at a time."""
    taken = dict(claimed)
    holders: list[Article | None] = []
    taking: list[tuple[Article, str]] = []
    for article, canonical in claims:
        holder = taken.get(canonical)
        if holder is not None and holder.id != article.id:
            holders.append(holder)
        else:
            holders.append(None)
            taken[canonical] = article
            taking.append((article, canonical))
    session.flush()  # the articles' other changes stay out of the savepoint below
    try:
        with session.begin_nested():
            for article, canonical in taking:
                article.canonical_url = canonical
            session.flush()
    except IntegrityError:  # another process stored one of these addresses meanwhile
        return [_claim_one(session, article, canonical, claimed) for article, canonical in claims]
    claimed.update(taken)
    return holders


def _claim_one(
    session: Session, article: Article, canonical: str, claimed: dict[str, Article]
) -> Article | None:
    holder = claimed.get(canonical)
    if holder is not None and holder.id != article.id:
        return holder
    for _ in range(2):
        try:
            with session.begin_nested():
                article.canonical_url = canonical
                session.flush()
            claimed[canonical] = article
            return None
        except IntegrityError:
            article.canonical_url = None
        holder = session.scalar(
            select(Article).where(Article.canonical_url == canonical, Article.id != article.id)
        )
        if holder is not None:
            claimed[canonical] = holder
            return holder
    return session.scalar(select(Article).where(Article.canonical_url == canonical))


def settle_second_copy(
    article: Article, holder: Article, text: str | None, title: str | None, language: str | None
) -> str | None:
    """``article`` (its page just extracted: ``text``, ``title``, ``language``) is another copy
    of ``holder``: "duplicate" when the text is the same or absent, "update" when its new text
    passes to ``holder``, None when it is left aside (a non-French text never replaces the
    stored one). Either way ``article`` stays, canonical_url NULL."""
    article.canonical_url = None
    if text is None or normalise(text) == normalise(holder.text or ""):
        article.status, article.duplicate_of_id = "duplicate", holder.id
        article.reason = "same canonical URL"
        return "duplicate"
    if article.status != "new":
        return None
    added = new_sentences(holder.text or "", text)
    holder.raw_compressed = article.raw_compressed
    holder.raw_content_type = article.raw_content_type
    holder.raw_fetched_at = article.raw_fetched_at
    if holder.status in ("failed", "skipped", "new", "fetched"):
        # nothing of the old text went further: the new text takes the whole path again
        holder.status, holder.new_sentences = "new", None
    elif added:
        pending = list(holder.new_sentences or []) if holder.analysed_at is None else []
        holder.new_sentences = pending + [s for s in added if s not in pending]
        holder.status, holder.analysed_at = "unique", None
    holder.text = text
    holder.title = title or holder.title
    holder.language = language
    holder.reason = f"text updated from article {article.id}"
    article.status, article.duplicate_of_id = "duplicate", holder.id
    article.reason = f"update of article {holder.id}: {len(added)} new sentences"
    return "update"
