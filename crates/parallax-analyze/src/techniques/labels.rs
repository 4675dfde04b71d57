//! The 14 persuasion techniques of the Propaganda Techniques Corpus
//! (SemEval-2020 Task 11), with readable names and one-line definitions.

use serde::{Serialize, Serializer};

/// One PTC technique label.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Technique {
    LoadedLanguage,
    NameCalling,
    Repetition,
    Exaggeration,
    Doubt,
    AppealToFear,
    FlagWaving,
    CausalOversimplification,
    Slogans,
    AppealToAuthority,
    BlackAndWhite,
    ThoughtTerminatingCliches,
    Whataboutism,
    Bandwagon,
}

impl Technique {
    /// All labels, in a fixed order (the class order of the model).
    pub const ALL: [Technique; 14] = [
        Technique::LoadedLanguage,
        Technique::NameCalling,
        Technique::Repetition,
        Technique::Exaggeration,
        Technique::Doubt,
        Technique::AppealToFear,
        Technique::FlagWaving,
        Technique::CausalOversimplification,
        Technique::Slogans,
        Technique::AppealToAuthority,
        Technique::BlackAndWhite,
        Technique::ThoughtTerminatingCliches,
        Technique::Whataboutism,
        Technique::Bandwagon,
    ];

    /// Position in [`Technique::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The label exactly as written in PTC files (e.g. `Name_Calling,Labeling`).
    pub fn ptc_label(self) -> &'static str {
        match self {
            Technique::LoadedLanguage => "Loaded_Language",
            Technique::NameCalling => "Name_Calling,Labeling",
            Technique::Repetition => "Repetition",
            Technique::Exaggeration => "Exaggeration,Minimisation",
            Technique::Doubt => "Doubt",
            Technique::AppealToFear => "Appeal_to_fear-prejudice",
            Technique::FlagWaving => "Flag-Waving",
            Technique::CausalOversimplification => "Causal_Oversimplification",
            Technique::Slogans => "Slogans",
            Technique::AppealToAuthority => "Appeal_to_Authority",
            Technique::BlackAndWhite => "Black-and-White_Fallacy",
            Technique::ThoughtTerminatingCliches => "Thought-terminating_Cliches",
            Technique::Whataboutism => "Whataboutism,Straw_Men,Red_Herring",
            Technique::Bandwagon => "Bandwagon,Reductio_ad_hitlerum",
        }
    }

    /// A name for people.
    pub fn name(self) -> &'static str {
        match self {
            Technique::LoadedLanguage => "Loaded language",
            Technique::NameCalling => "Name calling / labeling",
            Technique::Repetition => "Repetition",
            Technique::Exaggeration => "Exaggeration / minimisation",
            Technique::Doubt => "Doubt",
            Technique::AppealToFear => "Appeal to fear / prejudice",
            Technique::FlagWaving => "Flag-waving",
            Technique::CausalOversimplification => "Causal oversimplification",
            Technique::Slogans => "Slogans",
            Technique::AppealToAuthority => "Appeal to authority",
            Technique::BlackAndWhite => "Black-and-white fallacy",
            Technique::ThoughtTerminatingCliches => "Thought-terminating cliché",
            Technique::Whataboutism => "Whataboutism / straw man / red herring",
            Technique::Bandwagon => "Bandwagon / reductio ad Hitlerum",
        }
    }

    /// One-line definition (after the PTC annotation guidelines).
    pub fn definition(self) -> &'static str {
        match self {
            Technique::LoadedLanguage => "Words or phrases with strong emotional implications, used to sway the audience.",
            Technique::NameCalling => "Labeling the object of the campaign as something the audience fears, hates or loves.",
            Technique::Repetition => "Repeating the same message over and over so that the audience comes to accept it.",
            Technique::Exaggeration => "Representing something as much better or worse than it is, or downplaying it.",
            Technique::Doubt => "Questioning the credibility of someone or something.",
            Technique::AppealToFear => "Building support for an idea by instilling anxiety or panic, or appealing to prejudice.",
            Technique::FlagWaving => "Playing on strong national or group feeling to justify or promote an action or idea.",
            Technique::CausalOversimplification => "Assuming one single cause or reason when an issue has many.",
            Technique::Slogans => "A brief, striking phrase that may include labeling and stereotyping.",
            Technique::AppealToAuthority => "Stating that a claim is true simply because an authority or expert said so.",
            Technique::BlackAndWhite => "Presenting two alternatives as the only possibilities when more exist.",
            Technique::ThoughtTerminatingCliches => "Short, generic phrases that discourage critical thought and discussion.",
            Technique::Whataboutism => "Discrediting a position by charging hypocrisy, distorting it, or changing the subject.",
            Technique::Bandwagon => "Persuading by 'everyone does it', or by likening an idea to a hated group (e.g. Nazis).",
        }
    }

    /// Parses a PTC label (exact spelling, as in the corpus files).
    pub fn from_ptc(label: &str) -> Option<Technique> {
        Technique::ALL
            .into_iter()
            .find(|t| t.ptc_label() == label.trim())
    }
}

impl Serialize for Technique {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.ptc_label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip_and_are_distinct() {
        for (i, t) in Technique::ALL.into_iter().enumerate() {
            assert_eq!(t.index(), i);
            assert_eq!(Technique::from_ptc(t.ptc_label()), Some(t));
            assert!(!t.definition().is_empty() && !t.name().is_empty());
        }
        assert_eq!(Technique::from_ptc("Nope"), None);
    }
}
