//! Made-up texts in the styles of wire headlines, analyst actions, TV recaps, tweets and
//! article snippets, with the companies a reader would tag. Written for this crate, not taken
//! from any evaluation set.

use std::sync::OnceLock;

use marketdesk_linker::Linker;

fn linker() -> &'static Linker {
    static LINKER: OnceLock<Linker> = OnceLock::new();
    LINKER.get_or_init(|| Linker::shipped().expect("shipped reference data loads"))
}

const CASES: &[(&str, &[&str])] = &[
    ("Walgreens Boots Alliance Reports Q3 Results, Shares Fall", &["WBA"]),
    ("Raytheon Technologies Wins $1B Navy Contract", &["RTX"]),
    ("Morgan Stanley Upgrades Nike To Overweight", &["MS", "NKE"]),
    ("Wells Fargo Initiates Coverage On Snowflake With Equal-Weight Rating", &["SNOW", "WFC"]),
    ("Exxon Mobil, Chevron lead energy stocks higher", &["CVX", "XOM"]),
    ("General Electric to split into three public companies", &["GE"]),
    ("Ford recalls 500,000 vehicles over faulty brakes", &["F"]),
    ("GM and Ford shares rise on electric-vehicle hopes", &["F", "GM"]),
    ("Home Depot beats estimates as housing demand holds up", &["HD"]),
    ("Target cuts forecast as shoppers pull back on discretionary items", &["TGT"]),
    ("Gap shares jump after earnings beat", &["GAP"]),
    ("Snap plunges 20% after weak guidance", &["SNAP"]),
    ("Block reports higher bitcoin revenue in its Cash App", &["XYZ"]),
    ("Zoom Video shares fall as pandemic boom fades", &["ZM"]),
    ("Delta Air Lines cancels hundreds of flights", &["DAL"]),
    (
        "American Airlines and United Airlines add routes; Southwest Airlines cuts",
        &["AAL", "LUV", "UAL"],
    ),
    ("Boeing 737 MAX deliveries resume", &["BA"]),
    ("Tesla's Musk sells another $4 billion in shares", &["TSLA"]),
    ("Elon Musk says the Twitter deal is on hold", &[]),
    ("Jeff Bezos steps down as Amazon CEO", &["AMZN"]),
    ("Warren Buffett's Berkshire Hathaway buys more Occidental Petroleum", &["BRK-B", "OXY"]),
    ("Pfizer and BioNTech ask regulators to clear booster", &["BNTX", "PFE"]),
    ("Johnson & Johnson faces talc lawsuits; Procter & Gamble raises prices", &["JNJ", "PG"]),
    (
        "Coca-Cola and PepsiCo both beat; McDonald's sales rise; Starbucks union vote",
        &["KO", "MCD", "PEP", "SBUX"],
    ),
    ("Netflix adds subscribers while Disney+ growth slows", &["DIS", "NFLX"]),
    (
        "Comcast, Verizon and AT&T bid for spectrum; T-Mobile sits out",
        &["CMCSA", "T", "TMUS", "VZ"],
    ),
    ("Intel, AMD and Nvidia chips are in short supply", &["AMD", "INTC", "NVDA"]),
    ("Qualcomm and Broadcom report; Micron Technology guides lower", &["AVGO", "MU", "QCOM"]),
    ("Alibaba, JD.com and Baidu shares rally in Hong Kong", &["BABA", "BIDU", "JD"]),
    (
        "Uber and Lyft drivers strike; Airbnb hosts and PayPal sellers",
        &["ABNB", "LYFT", "PYPL", "UBER"],
    ),
    ("Visa and Mastercard settle; American Express gains", &["AXP", "MA", "V"]),
    ("Bank of America, Citigroup and Wells Fargo lead bank stocks", &["BAC", "C", "WFC"]),
    ("JPMorgan's Dimon warns of a hurricane; BlackRock's Fink is upbeat", &["BLK", "JPM"]),
    ("UnitedHealth Group and CVS Health cut outlooks", &["CVS", "UNH"]),
    ("Walmart and Costco gain share as Kroger lags", &["COST", "KR", "WMT"]),
    ("Lowe\u{2019}s and Best Buy report on Tuesday", &["BBY", "LOW"]),
    ("GameStop and AMC soar again as retail traders return", &["AMC", "GME"]),
    ("Robinhood, Coinbase and Palantir are meme favourites", &["COIN", "HOOD", "PLTR"]),
    (
        "Shopify, Spotify and Roku fall; Etsy and eBay rise",
        &["EBAY", "ETSY", "ROKU", "SHOP", "SPOT"],
    ),
    ("Rivian and Lucid Group cut production targets", &["LCID", "RIVN"]),
    ("Caterpillar and Deere rise on infrastructure bill", &["CAT", "DE"]),
    ("3M settles earplug suits; Honeywell spins off unit", &["HON", "MMM"]),
    (
        "Lockheed Martin, Northrop Grumman and General Dynamics win Pentagon deals",
        &["GD", "LMT", "NOC"],
    ),
    ("ConocoPhillips, Halliburton and Schlumberger gain as crude rises", &["COP", "HAL", "SLB"]),
    (
        "Duke Energy and NextEra Energy raise dividends; Southern Company holds",
        &["DUK", "NEE", "SO"],
    ),
    (
        "Deutsche Bank, HSBC and Barclays face fines; UBS absorbs Credit Suisse",
        &["BCS", "DB", "HSBC", "UBS"],
    ),
    (
        "Toyota Motor Corp and Sony Group form EV venture; Nintendo and SoftBank fall",
        &["SONY", "TM"],
    ),
    ("Needham Maintains Buy on Roku, Lowers Price Target to $100", &["ROKU"]),
    ("Jefferies Upgrades Wayfair To Buy", &["JEF", "W"]),
    (
        "Truist Securities Upgrades Kraft Heinz; Oppenheimer Downgrades Micron",
        &["KHC", "MU", "OPY", "TFC"],
    ),
    ("Wedbush's Dan Ives says Apple is a buy ahead of the iPhone event", &["AAPL"]),
    ("Walmart Inc said on Tuesday it would raise wages", &["WMT"]),
    ("Exxon Mobil Corp XOM.N said on Friday it would cut jobs", &["XOM"]),
    ("Shares of Agilent Technologies (NYSE:A) rose 2% in early trading", &["A"]),
    ("Nokia Corporation said its net sales rose 5% in the third quarter", &["NOK"]),
    ("Fiskars and Stora Enso reported lower profits in Helsinki", &[]),
    ("$TSLA short squeeze incoming, $AMC $GME apes holding", &["AMC", "GME", "TSLA"]),
    ("Stocks making the biggest moves midday: Nike, FedEx, Micron and more", &["FDX", "MU", "NKE"]),
    ("Cramer's lightning round: I'd rather own Chipotle than Wendy's", &["CMG", "WEN"]),
    ("Why Home Depot, Lowe's and Sherwin-Williams are buys, Cramer says", &["HD", "LOW", "SHW"]),
    (
        "Kellogg to split into three companies; General Mills and Hershey steady",
        &["GIS", "HSY", "K"],
    ),
    (
        "Merck's Keytruda sales beat; Eli Lilly and Novo Nordisk weight-loss race",
        &["LLY", "MRK", "NVO"],
    ),
    ("AbbVie and Amgen fall after drug pricing news", &["ABBV", "AMGN"]),
    ("Fed holds rates steady; Treasury yields climb; gold hits a record", &[]),
    ("Oil prices rise as OPEC+ extends cuts", &[]),
    ("U.S. stocks close higher as tech rallies; Nasdaq gains 1%", &[]),
    ("Bitcoin tops $60,000 as crypto rally broadens", &[]),
    ("Great quarter for $NVDA, data center demand insane #AI #stocks", &["NVDA"]),
    ("Apple Watch and iPhone sales drive Apple revenue", &["AAPL"]),
    ("Instagram and WhatsApp outage hits users; YouTube unaffected", &[]),
    ("United States Steel agrees to Nippon Steel takeover", &[]),
    ("Amazon Web Services outage disrupts websites", &["AMZN"]),
    ("Salesforce, Oracle and Adobe rally after earnings", &["ADBE", "CRM", "ORCL"]),
    ("IBM and Cisco Systems announce quantum networking pact", &["CSCO", "IBM"]),
];

/// Texts whose company-looking words are something else.
const TRAPS: &[(&str, &[&str])] = &[
    ("The Fed says its inflation target remains 2%", &[]),
    ("Amazon rainforest fires spread as drought deepens", &[]),
    ("Shell shock as markets tumble on rate fears", &[]),
    ("Target date funds gain popularity with savers", &[]),
    ("Visa requirements tightened for foreign students", &[]),
    ("An alphabet soup of agencies regulates banks", &[]),
    ("Delta variant cases surge in the South", &[]),
    ("Universal Studios opens a new park; Paramount Pictures sequel", &[]),
    ("Fox News host interviews Squawk Box anchor", &[]),
    ("Bill Ackman's Pershing Square buys a stake", &[]),
    ("Southern California braces for heat; Northern Ireland votes", &[]),
    ("Progressive Democrats push for a wealth tax", &[]),
    ("Nasdaq-listed firms and NYSE-listed shares fell; the Nasdaq Composite slid", &[]),
    ("Dow Jones Newswires reports that the Dow fell 300 points", &[]),
    ("Zacks Investment Research upgrades its view, Simply Wall St says", &[]),
    ("Sainsbury's, Tesco and Marks & Spencer report Christmas sales", &[]),
    ("Royal Mail strike; Thames Water debt; Bank of England holds rates", &[]),
    ("BT Group and Vodafone merge mobile units", &["VOD"]),
    ("Nordea, Sampo, Kone and Fortum shares rose in Helsinki", &[]),
    ("$ES_F and $NQ_F futures slip; $EURUSD steady; $SPX $VIX $NDX", &[]),
    ("$BTC $ETH $XRP $DOGE $SOL all green today #crypto", &[]),
    ("The company raised $3M in seed funding and hired 50 staff", &[]),
    ("Energy, utilities and financials led the S&P 500 higher", &[]),
    ("Gold and silver prices climb; oil and natural gas slip", &[]),
    ("Artificial intelligence (AI) and machine learning (ML) drive capex", &[]),
    ("The chief executive officer (CEO) and chief financial officer (CFO) resigned", &[]),
    ("Earnings per share (EPS) rose; gross domestic product (GDP) fell", &[]),
    ("Shares of several companies in the auto parts space traded higher", &[]),
    ("Gina Sanchez of Chantico Global and Todd Gordon of Ascent Wealth Partners", &[]),
    ("President Trump endorses a candidate in Georgia", &[]),
    ("Only two northern white rhinos still exist", &[]),
    ("Roger Federer earns more from endorsements than prize money", &[]),
    ("Don't miss my convo with @SamHarrisOrg and @jimcramer", &[]),
    ("US companies are increasingly interested in China's import fair", &[]),
    ("Pets.com and Webvan were dot-com busts", &[]),
    ("EUR/USD Price Forecast - Euro Looks Likely To Break Down", &[]),
    ("Inflation: Sports bras in, doughnuts out of cost of living measure", &[]),
    ("Big Tech earnings: what to watch as the Magnificent Seven report", &[]),
    ("Options Action traders weigh in on the market's next move", &[]),
    ("Gap and Run setups: an Inside Gap means nothing", &[]),
];

#[test]
fn trap_texts() {
    let mut failures = Vec::new();
    for (text, want) in TRAPS {
        let mut got: Vec<String> = linker().link(text).into_iter().map(|m| m.ticker).collect();
        got.sort();
        got.dedup();
        if got != *want {
            failures.push(format!("{text}\n    got {got:?} want {want:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} differ:\n{}",
        failures.len(),
        TRAPS.len(),
        failures.join("\n")
    );
}

#[test]
fn news_style_texts() {
    let mut failures = Vec::new();
    for (text, want) in CASES {
        let mut got: Vec<String> = linker().link(text).into_iter().map(|m| m.ticker).collect();
        got.sort();
        got.dedup();
        if got != *want {
            failures.push(format!("{text}\n    got {got:?} want {want:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} differ:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}
