//! Newsroom number style, shared by every stage that writes for people: "$9.9 million",
//! "12,500", "3.1%".

/// A whole number with thousands separators: `12500` → "12,500".
pub fn thousands(n: f64) -> String {
    let negative = n < 0.0;
    let digits = format!("{:.0}", n.abs());
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if negative { format!("-{out}") } else { out }
}

/// Dollars as a newsroom writes them: "$1.2 billion", "$9.9 million", "$950,000", "$12.50".
pub fn money(v: f64) -> String {
    let sign = if v < 0.0 { "-" } else { "" };
    let a = v.abs();
    if a >= 1e9 {
        format!("{sign}${:.1} billion", a / 1e9)
    } else if a >= 1e6 {
        format!("{sign}${:.1} million", a / 1e6)
    } else if a >= 1_000.0 {
        format!("{sign}${}", thousands(a))
    } else {
        format!("{sign}${a:.2}")
    }
}

/// A price per share with cents: "$25.00", "$1,234.56".
pub fn price(v: f64) -> String {
    let cents = (v.abs() * 100.0).round();
    let sign = if v < 0.0 { "-" } else { "" };
    format!("{sign}${}.{:02}", thousands((cents / 100.0).trunc()), (cents % 100.0) as u64)
}

/// A percentage with one decimal: `3.14159` → "3.1%".
pub fn percent(p: f64) -> String {
    format!("{p:.1}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newsroom_style() {
        assert_eq!(thousands(12500.0), "12,500");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(thousands(1_234_567.4), "1,234,567");
        assert_eq!(thousands(-1000.0), "-1,000");
        assert_eq!(money(9_912_345.0), "$9.9 million");
        assert_eq!(money(1_234_000_000.0), "$1.2 billion");
        assert_eq!(money(950_000.0), "$950,000");
        assert_eq!(money(12.5), "$12.50");
        assert_eq!(percent(3.1234), "3.1%");
        assert_eq!(price(25.0), "$25.00");
        assert_eq!(price(1234.565), "$1,234.57");
        assert_eq!(price(0.999), "$1.00");
        assert_eq!(percent(-0.05), "-0.1%");
    }
}
