//! The linking rules at their edges, on made-up texts in the styles the linker meets:
//! wire headlines, analyst-action headlines, tweets with cashtags, article snippets.

use std::sync::OnceLock;

use marketdesk_linker::{Linker, Mention};

fn linker() -> &'static Linker {
    static LINKER: OnceLock<Linker> = OnceLock::new();
    LINKER.get_or_init(|| Linker::shipped().expect("shipped reference data loads"))
}

fn mentions(text: &str) -> Vec<Mention> {
    linker().link(text)
}

/// The tickers found, in text order (duplicates kept).
fn tickers(text: &str) -> Vec<String> {
    mentions(text).into_iter().map(|m| m.ticker).collect()
}

#[track_caller]
fn expect(text: &str, want: &[&str]) {
    let mut got = tickers(text);
    got.sort();
    got.dedup();
    let mut want: Vec<String> = want.iter().map(|s| (*s).to_owned()).collect();
    want.sort();
    assert_eq!(got, want, "{text}");
}

#[test]
fn cashtags() {
    expect("$AAPL and $MSFT lead the tape", &["AAPL", "MSFT"]);
    expect("Watching $BRK/B and $BRK.B today", &["BRK-B"]);
    expect("$BRK.A is expensive", &["BRK-A"]);
    expect("Top picks: McDonald's ($MCD.N), Microsoft ($MSFT.O)", &["MCD", "MSFT"]);
    expect("$GOOG and $GOOGL", &["GOOG", "GOOGL"]);
    expect("$D $V $F are single letters", &["D", "F", "V"]);
    expect("$FB to the moon", &["META"]);
    // `$` inside words, lower case, futures, foreign venues, prices
    expect("There is a CO$T to GREATNESS, BREAKFA$T, L$D, O$C, \"$UN$ET\"", &[]);
    expect("lumber $LB_F is down, $aapl lower case, $AGF/B.TO in Toronto, up $5.20", &[]);
    expect("cashtag boundary:$AAPL,$MSFT.", &["AAPL", "MSFT"]);
}

#[test]
fn etfs_funds_and_indexes_are_never_tagged() {
    expect("$SPY $QQQ $IWM $DIA $GLD $USO $UNG $VXX $UVXY $GDX $XLF", &[]);
    expect("The S&P 500 and the FTSE 100 closed higher; the Nasdaq fell.", &[]);
    expect("Dow tanks 1,000 points as the Dow Jones Industrial Average slides", &[]);
    expect("Invest in an S&P 500 index fund like SPDR S&P 500 ETF Trust", &[]);
    expect("Dow Inc reported earnings", &["DOW"]);
    expect("Nasdaq agrees to acquire Boardvantage for $200 million", &["NDAQ"]);
    expect("Top 4 NYSE Stocks In The Auto Dealerships Industry", &[]);
    // a fund sponsor that is a listed company counts
    expect("The fund is sponsored by WisdomTree.", &["WT"]);
}

#[test]
fn crypto_cashtags() {
    expect("To all the fallen heroes of today's $BTC action", &[]);
    expect("Altcoins pumping: $XLM $DASH $BTG $TEL", &[]);
    expect("$DASH beats on revenue as DoorDash orders grow", &["DASH"]);
    expect("$TEL TE Connectivity raises guidance", &["TEL"]);
}

#[test]
fn exchange_prefixed_and_parenthesised_tickers() {
    expect("Lockheed Martin (NYSE: LMT) won a contract", &["LMT"]);
    expect("NASDAQ:AAPL closed up", &["AAPL"]);
    expect("Both (Nasdaq: AAPL, MSFT) rose", &["AAPL", "MSFT"]);
    expect("Alcoa (NYSE: AA ) was up 1.4%", &["AA"]);
    expect(
        "Facebook Inc (Nasdaq: FB- Free Report ) and HubSpot Inc (NYSE: HUBS- Free Report )",
        &["HUBS", "META"],
    );
    expect("Berkshire Hathaway (NYSE: BRK.B)(NYSE: BRK.A)", &["BRK-A", "BRK-B"]);
    expect("Alcoa (Symbol: AA) reported", &["AA"]);
    expect("Apple (AAPL) and eBay ( EBAY ) gained", &["AAPL", "EBAY"]);
    expect("Ratings on Brokers & Asset Managers (AB, JNS, IVZ)", &["AB", "IVZ"]);
    expect("Citigroup Inc. (C) and Visa Inc. (V) reported", &["C", "V"]);
    expect("Foreign listings HEL: KRA1V and PLC.TO are not US", &[]);
    expect("An Application Programming Interface (API) lets apps talk", &[]);
    expect("Use it (IT) as you wish (C) 2020 (A) first", &[]);
}

#[test]
fn ticker_right_after_the_name() {
    expect("Microsoft MSFT.O and Alphabet GOOGL.O fell", &["GOOGL", "MSFT"]);
    expect("Aluminium producer Alcoa Corp AA.N said", &["AA"]);
    expect(
        "Packaging Corporation of America PKG and Graphic Packaging Holding Company GPK",
        &["GPK", "PKG"],
    );
    let ms = mentions("Alphabet GOOG gained");
    assert!(ms.iter().any(|m| m.ticker == "GOOG" && m.text == "GOOG"), "{ms:?}");
}

#[test]
fn names_and_short_names() {
    expect("Lockheed Martin and JPMorgan Chase beat estimates", &["JPM", "LMT"]);
    expect("JP Morgan Maintains Agilent Technologies at Overweight", &["A", "JPM"]);
    expect("Goldman Sachs and Morgan Stanley reported", &["GS", "MS"]);
    expect("Google's Fitbit deal and Facebook's outage", &["GOOGL", "META"]);
    expect("BofA settlement; J&J recalls; AT&amp;T buys", &["BAC", "JNJ", "T"]);
    expect("Con Edison raised its dividend", &["ED"]);
    expect("Asbury Automotive Group shares rose", &["ABG"]);
    expect("Apple's market value topped $3 trillion", &["AAPL"]);
    expect("Caterpillar and Intel charts show weakness", &["CAT", "INTC"]);
    expect("shares of Chipotle fell after Goldman cut its rating", &["CMG", "GS"]);
    expect("Priceline and United Technologies are old names", &["BKNG", "RTX"]);
}

#[test]
fn broker_arms_map_to_listed_parents() {
    expect("KeyBanc Upgrades Apple to Overweight", &["AAPL", "KEY"]);
    expect("RBC Capital Maintains Outperform on AbbVie", &["ABBV", "RY"]);
    expect("BMO Capital Markets Reiterates Buy; Evercore ISI Downgrades", &["BMO", "EVR"]);
    expect("B of A Securities Reiterates Buy on Apple", &["AAPL", "BAC"]);
    expect(
        "Stifel downgrades UPS; Raymond James and Piper Sandler disagree",
        &["PIPR", "RJF", "SF", "UPS"],
    );
    // private brokers
    expect("Baird, Wedbush, Needham, Cantor and D.A. Davidson raise targets", &[]);
}

#[test]
fn common_words_are_not_companies() {
    expect("Piper Sandler Raises Price Target to $310", &["PIPR"]);
    expect("The gap tightens as stocks gap down at the open", &[]);
    expect("A Peek Into The Markets: US Stock Futures Tumble", &[]);
    expect("Is it fair to rely on AI? What's next for the industry", &[]);
    expect("Nice use of paid search. Perfect timing. Click here.", &[]);
    expect("I make less than minimum wage from running my post office", &[]);
    expect("More people claim Universal Credit as Premier League starts", &[]);
    expect("Who says the American Dream is dead?", &[]);
    expect("U.S. intelligence documents on the northern border", &[]);
    expect("Options Trader Bets on Monster Micron Move", &["MU"]);
    expect("Lloyds sets a target to raise the number of Black staff", &["LYG"]);
    expect("Stocks hit 52-Week Highs; 10 Stocks To Watch For Monday", &[]);
}

#[test]
fn sector_words_are_not_companies() {
    // A well-known AI newsroom tagged "agriculture" with ANSC, a SPAC named
    // "Agriculture & Natural Solutions Acquisition Corp".
    expect("Agriculture stocks rallied as agriculture exports rose", &[]);
    expect("Agricultural Products And Energy Bills: Utilities Roundup", &[]);
    expect("Congress readies defense bill; energy bills; health-care and bank stocks", &[]);
    expect("Texas oil industry and technology stocks; the real estate sector", &[]);
    expect("Agriculture & Natural Solutions Acquisition Corp units begin trading", &["ANSC"]);
}

#[test]
fn people_are_not_companies() {
    expect("Bill Gates and Bill Ackman disagree", &[]);
    expect("Estee Lauder to buy designer brand Tom Ford", &["EL"]);
    expect("By Stephen Culp NEW YORK (Reuters) - Stocks fell", &[]);
    expect("The charts, as interpreted by Larry Williams, suggest a climb", &[]);
    expect("CEO Mark Bristow said production rose", &[]);
    expect("L3Harris CEO Bill Brown said on Mad Money", &["LHX"]);
    expect("Charles Schwab to buy USAA assets", &["SCHW"]);
    expect("Warren Buffett, the Oracle of Omaha, spoke", &[]);
}

#[test]
fn attributions_bylines_and_credits() {
    expect("Asia markets mostly fall as trade data gets delayed - CNBC", &[]);
    expect("TikTok exploring distancing itself from China roots - WSJ", &[]);
    expect("(RTTNews) - Apple (AAPL) launched its headset", &["AAPL"]);
    expect("Zuckerberg clarifies comments https://t.co/x via @nypost", &[]);
    expect("Image source: Getty Images. Photo: Shutterstock.", &[]);
    expect("Shutterstock.com photo of a trader", &[]);
    expect("( ADP News ) - Finnish software maker said", &[]);
    expect(
        "The views and opinions expressed herein are the views and opinions of the author and \
         do not necessarily reflect those of Nasdaq, Inc.",
        &[],
    );
}

#[test]
fn private_delisted_and_foreign_unlisted_companies() {
    expect("TikTok, Huawei, Bridgewater and Impossible Foods", &[]);
    expect("Twitter, Time Warner, Mylan and TD Ameritrade", &[]);
    expect("Siemens, Volkswagen, Daimler and Wirecard", &[]);
    expect("Credit Suisse Downgrades Advance Auto Parts", &["AAP"]);
    expect("Viking Line's board is satisfied; Axon Capital invests", &[]);
    expect("Target Hospitality Corp. Just Missed EPS", &["TH"]);
    // foreign companies with a US listing count
    expect("Toyota and Honda and Nokia and ArcelorMittal", &["HMC", "MT", "NOK", "TM"]);
}

#[test]
fn capitalisation_styles() {
    // all caps
    expect("DENTSPLY SIRONA $XRAY UPGRADED", &["XRAY"]);
    expect("Below is the report for APPLE INC (AAPL).", &["AAPL"]);
    // lower-case common-word names never match
    expect("an apple a day; a visa application; oracle bones", &[]);
    // a list carries small companies along
    expect(
        "Mid-Day Gainers: Lululemon, Office Depot, Calithera Biosciences, Heritage Financial",
        &["HFWA", "LULU", "ODP"],
    );
}

#[test]
fn recycled_and_former_tickers() {
    // a former symbol links to today's company when nobody else holds it
    expect("$BBRY and $DPS and $HRS", &["BB", "KDP", "LHX"]);
    // a symbol someone else holds today means its new owner
    let ms = mentions("$LB breaks out");
    assert!(ms.iter().all(|m| m.ticker == "LB"), "{ms:?}");
}

#[test]
fn utf8_offsets_after_non_ascii_text() {
    let text = "Für Anleger — «Apple» und $MSFT: 日本 Toyota 🚗 steigt";
    let ms = mentions(text);
    assert_eq!(ms.len(), 3, "{ms:?}");
    for m in &ms {
        assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
        assert_eq!(&text[m.start..m.end], m.text);
    }
    assert_eq!(ms[0].text, "Apple");
    assert_eq!(ms[1].text, "$MSFT");
    assert_eq!(ms[2].text, "Toyota");
}

#[test]
fn mentions_are_sorted_and_disjoint_with_cik_and_confidence() {
    let text = "Apple (AAPL) and Apple Inc. (NASDAQ: AAPL) and $AAPL";
    let ms = mentions(text);
    assert!(ms.windows(2).all(|w| w[0].end <= w[1].start), "{ms:?}");
    assert!(ms.iter().all(|m| m.cik.get() == 320193 && (0.5..=1.0).contains(&m.confidence)));
}

#[test]
fn an_index_written_with_a_raw_entity_is_still_the_index() {
    expect("Morgan Stanley: The S&amp;P 500 will fail to break out", &["MS"]);
    expect("The S&P 500 hit a record", &[]);
    expect("S&amp;P Global raised its dividend", &["SPGI"]);
}
