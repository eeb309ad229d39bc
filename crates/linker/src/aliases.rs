//! The alias file: well-known short and former names, broker arms and former tickers.

use std::collections::BTreeMap;

use crate::{LinkerError, Reference};

const SHIPPED: &str = include_str!("../../../data/reference/aliases.toml");

/// Why an alias exists; the alias file has one section per group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AliasGroup {
    /// `[short_names]`: the everyday name of a company ("Google" -> GOOGL).
    ShortName,
    /// `[former_names]`: a renamed company with the same CIK ("Facebook" -> META).
    FormerName,
    /// `[broker_arms]`: a research or broker arm named after a listed parent ("KeyBanc" -> KEY).
    BrokerArm,
}

/// One name alias.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alias {
    /// The surface form in text.
    pub name: String,
    /// The ticker it stands for (SEC spelling); the CIK comes from the reference list.
    pub ticker: String,
    /// The section it came from.
    pub group: AliasGroup,
}

/// The parsed alias file.
#[derive(Clone, Debug, Default)]
pub struct Aliases {
    names: Vec<Alias>,
    former_tickers: Vec<(String, String)>,
}

impl Aliases {
    /// Parses an alias file: TOML sections `short_names`, `former_names`, `broker_arms` (each
    /// `"Name" = "TICKER"`) and `former_tickers` (`"OLD" = "NEW"`).
    pub fn from_toml(text: &str) -> Result<Self, LinkerError> {
        let sections: BTreeMap<String, BTreeMap<String, String>> = toml::from_str(text)
            .map_err(|source| LinkerError::Toml { file: "alias file", source })?;
        let mut aliases = Aliases::default();
        for (section, entries) in sections {
            let group = match section.as_str() {
                "short_names" => AliasGroup::ShortName,
                "former_names" => AliasGroup::FormerName,
                "broker_arms" => AliasGroup::BrokerArm,
                "former_tickers" => {
                    aliases.former_tickers.extend(entries);
                    continue;
                }
                _ => return Err(LinkerError::AliasSection(section)),
            };
            aliases.names.extend(entries.into_iter().map(|(name, ticker)| Alias {
                name,
                ticker: ticker.to_ascii_uppercase(),
                group,
            }));
        }
        Ok(aliases)
    }

    /// The alias file shipped in `data/reference/aliases.toml`.
    pub fn shipped() -> Result<Self, LinkerError> {
        Aliases::from_toml(SHIPPED)
    }

    /// The name aliases.
    pub fn names(&self) -> &[Alias] {
        &self.names
    }

    /// Former tickers and the ticker each now trades under.
    pub fn former_tickers(&self) -> &[(String, String)] {
        &self.former_tickers
    }

    /// Entries the reference cannot resolve to a linkable company (delisted since the file
    /// was written, or a typo), as `(alias, ticker)`.
    pub fn unresolved(&self, reference: &Reference) -> Vec<(String, String)> {
        let resolves = |t: &str| reference.by_ticker(t).is_some_and(|c| c.is_linkable());
        self.names
            .iter()
            .map(|a| (&a.name, &a.ticker))
            .chain(self.former_tickers.iter().map(|(old, new)| (old, new)))
            .filter(|(_, t)| !resolves(t))
            .map(|(a, t)| (a.clone(), t.clone()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sections() {
        let a = Aliases::from_toml(
            "[short_names]\n\"Google\" = \"googl\"\n[former_tickers]\n\"FB\" = \"META\"\n",
        );
        let Ok(a) = a else { panic!("{a:?}") };
        assert_eq!(a.names()[0].ticker, "GOOGL");
        assert_eq!(a.names()[0].group, AliasGroup::ShortName);
        assert_eq!(a.former_tickers(), [("FB".to_owned(), "META".to_owned())]);
        assert!(Aliases::from_toml("[nicknames]\n\"x\" = \"Y\"\n").is_err());
        assert!(Aliases::from_toml("not toml ===").is_err());
    }

    #[test]
    fn shipped_aliases_resolve() {
        let (Ok(r), Ok(a)) = (Reference::shipped(), Aliases::shipped()) else { panic!() };
        assert_eq!(a.unresolved(&r), Vec::<(String, String)>::new());
    }
}
