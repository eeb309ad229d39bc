//! The company/ticker linker: finds the US-listed companies a text mentions and links each
//! mention to a ticker and a CIK, and nothing else.
//!
//! It owns the SEC company list model ([`Reference`]: each CIK with its main common ticker and
//! its other symbols classified), the shipped alias file ([`Aliases`]), the linker itself
//! ([`Linker::link`] returning [`Mention`]s), its evaluation against labelled JSON Lines
//! ([`evaluate`]), its benchmark ([`measure`]) and the ticker-chip HTML of the publish stage
//! ([`render_html`]).
//!
//! It must not do I/O beyond parsing the bytes and strings it is given (the shipped reference
//! data is compiled in), and has no async, network, database, clock-for-"now" or environment
//! access: `marketdesk reference update --from-edgar` downloads, the store stores, and the
//! binary prints.
//!
//! # What can be tagged
//!
//! A company is linkable when its CIK has a NYSE, Nasdaq or Cboe row in the SEC list. The main
//! ticker is the first such row in file order (GOOGL before GOOG, BRK-B before BRK-A). OTC-only
//! and exchange-less CIKs are private or delisted for the linker and never tagged. ETFs, ETNs,
//! funds, commodity and crypto trusts and index products are never tagged: their issuers are
//! recognised by name ("ETF", "Fund", "iShares", "SPDR", "Trust" with "Gold"/"Bitcoin"/...)
//! and by a shipped list (`data/reference/exchange_traded_products.toml`: SPY, QQQ, IWM, DIA,
//! GLD, USO, UNG, VXX, ... and banks listed only for their notes, like Barclays Bank PLC).
//! Symbols of a CIK with another root (the ETNs Bank of Montreal issues) never link.
//!
//! # How a text is read
//!
//! 1. **Symbols.** Cashtags (`$AAPL`, `$BRK/B`, `$BRK.B`, `$MSFT.O`) must be upper case and
//!    stand alone: `$` inside a word (`FA$T`, `CO$T`, `$UN$ET`), a futures code (`$LB_F`) or a
//!    foreign venue (`$AGF/B.TO`, `PLC.TO`) is not a stock. Exchange-qualified symbols
//!    ("(NYSE: LMT)", "NASDAQ:AAPL", "(Nasdaq: AAPL, MSFT)", "(Symbol: AA)") and symbols alone
//!    in parentheses ("(AAPL)", "(AB, JNS, IVZ)") link. A parenthesised symbol that is one
//!    letter, a common word or an abbreviation ("(C)", "(IT)", "(API)") links only right after a
//!    name of the same company ("Citigroup Inc. (C)"), and never when the words before it spell
//!    it ("Application Programming Interface (API)"). A bare symbol right after the company's
//!    name links too ("Microsoft MSFT.O", "Packaging Corporation of America PKG"). The ticker
//!    reported is the main one, except that a class the text writes ($GOOG, "(GOOG)") is kept.
//!    Former symbols of renamed companies ($FB -> META) link only while nobody else holds them:
//!    a recycled symbol means its new owner.
//! 2. **Crypto.** In a text about crypto-assets (a word like "bitcoin", "crypto", "token", or
//!    a symbol no listed company uses, like $XLM), cashtags on the crypto list ($BTC, $DASH,
//!    $TEL, $BTG, $MTN) are coins, not DoorDash or TE Connectivity.
//! 3. **Names.** Two Aho-Corasick automata hold every name variant of every linkable company
//!    and the aliases: one ASCII case-insensitive, one exact for acronyms ("UBS", "AT&T", which
//!    must be written in capitals). Names are written capitalised, so the linker runs an
//!    anchored, leftmost-longest search only at the start of each capitalised word ("eBay"
//!    style too) and skips the rest, which keeps it fast. The match must end on a word boundary
//!    (a longer match that does not is retried shorter) and must not sit in a hashtag, handle,
//!    cashtag, web address, code span or hyphenated compound ("post-pandemic"). Variants of an
//!    SEC name are its core (legal form and state tag dropped: "COSTCO WHOLESALE CORP /NEW" ->
//!    "Costco Wholesale"; "SCHWAB CHARLES" is turned round), short forms without trailing
//!    descriptors ("Goldman Sachs Group" -> "Goldman Sachs", "Meta Platforms" -> "Meta"), the
//!    first word when it is coined, i.e. in no dictionary ("Lululemon"), and, for a one-word
//!    core, the core with its legal form ("Southern Company", "News Corp"). Never a variant made
//!    only of generic sector words or places ("Agriculture", "Energy", "Bancorp", "California"),
//!    nor a business abbreviation ("Q2"). A one-word form cut from a longer name must belong to
//!    a large company (top 1000 if it is a common word, top 1500 if a surname, place, coined
//!    first word or two or three capitals) unless it is coined ("Enanta"). When companies share
//!    a variant, the alias wins, then the larger company.
//! 4. **Disambiguation.** Each variant is classed once: distinctive (coined or multi-word with
//!    a rare word), proper noun (a dictionary surname or place: "Williams"), common word (in the
//!    word-frequency stop-list, SCOWL's common English words: "Apple", "Target", "Gap"),
//!    given name ("Bill"), common phrase ("Trade Desk"), acronym ("UBS", "AT&T": capitals only).
//!    Then, in order:
//!    - **capitalisation**: every significant word must be capitalised ("gap down", "energy
//!      bills" never match); capitals say nothing in title-case headlines, all-caps text or at
//!      the start of a sentence, which the linker detects per segment (sentence, or clause after
//!      a colon or dash);
//!    - **attribution**: bylines, newswires and credits are not mentions ("(Reuters) -", "- WSJ"
//!      at the end, "via @nypost", "Photo: Shutterstock", "(ADP News)", "Shutterstock.com"), nor
//!      publisher disclaimers ("... do not necessarily reflect those of Nasdaq, Inc.");
//!    - **exchanges and indexes**: "Nasdaq", "Dow", "Cboe", "S&P" are the market unless a
//!      corporate suffix or an operator verb follows ("Dow Inc", "Nasdaq agrees to acquire"),
//!      and never after "the";
//!    - **person names**: a one-word name right after a given name or honorific is a surname
//!      ("Tom Ford", "Larry Williams", "Stephen Culp"); a name that is itself a given name
//!      followed by a capitalised word is a person ("Bill Ackman", "Bill Gates");
//!    - **stop phrases**: common collocations containing a company word ("price target",
//!      "post office", "Universal Credit", "Oracle of Omaha", "Amazon rainforest");
//!    - **part of another name**: a common word right after a company name is its brand ("Fox
//!      News"); a one-word name of a company outside the top 100 glued to a capitalised word
//!      that is no common word is a person or another proper noun ("Andreas Schwab", "Viking
//!      Line"), before a street word an address ("51 Franklin St"), and before a descriptor it
//!      does not have another company ("Clarus Therapeutics"); in sentence case any capitalised
//!      neighbour does it for common-word names outside the top 200 ("Universal Credit",
//!      "Luckin Coffee Inc": the suffix is the other company's). A neighbouring unambiguous
//!      company name is a list, not a compound ("Netflix Spotify");
//!    - **context cues** that make it a company: a legal suffix ("Inc."), the company's symbol
//!      after it, a corporate word after it ("CEO", "shares", "earnings", "says", "plunges",
//!      "to acquire", also after a possessive: "Apple's CEO"), or before it ("shares of", "stake
//!      in", "CEO of", "iPhone maker", "ride-hailing giant", "downgrades", "Overweight on");
//!    - **size prior**: SEC `company_tickers.json` is ordered by market cap. A common-word name
//!      without a cue is accepted in running text when the company ranks in the top 1500, and
//!      where capitals say nothing only in the top 100 ("Apple", "Intel", "Caterpillar"; not
//!      "Monster", "Gap", "Nice"). A name that is a surname, place or myth needs a cue beyond
//!      the top 2500 ("Orion"); an acronym beyond the top 500 ("AES", "XP");
//!    - **lists and coreference**: an undecided name joined by ", " or " and " to an accepted
//!      one (other capitalised list items may sit between), or whose company is already
//!      accepted in the same text, is accepted ("Lululemon, Office Depot, Calithera
//!      Biosciences, Heritage Financial").
//!
//! Known limit: a recycled symbol in an old text ($PL for Protective Life in 2014) links to its
//! new owner (Planet Labs); nothing in the text says when it was written.
//!
//! Each mention carries a confidence from these steps (about 0.95 for symbols and names with a
//! cue, 0.6 for list members); only accepted mentions are returned, sorted and non-overlapping,
//! symbols winning over names.

mod aliases;
mod bench;
mod cues;
mod error;
mod eval;
mod html;
mod issuer;
mod linker;
mod names;
mod products;
mod reference;
mod text;
mod ticker;
mod words;

pub use aliases::{Alias, AliasGroup, Aliases};
pub use bench::{LinkBenchmark, measure};
pub use error::LinkerError;
pub use eval::{LineError, Report, evaluate};
pub use html::{escape_html, render_html};
pub use linker::{Linker, Mention};
pub use reference::{
    Company, Exchange, Reference, SHIPPED_EXCHANGE_LIST, SHIPPED_SIZE_ORDER, Security,
};
pub use ticker::SecurityKind;
pub use words::{LEGAL_SUFFIXES, is_given_name};
