//! Sentence-level tests for each pattern, including sentences that must
//! not be attributions. The sentences are written for these tests.

use super::*;

fn run(t: &str) -> AttributionLayer {
    analyze(&Document::from_text("t", t))
}

fn one(t: &str) -> Attribution {
    let l = run(t);
    assert_eq!(l.attributions.len(), 1, "{t}: {:#?}", l.attributions);
    l.attributions.into_iter().next().unwrap()
}

fn src(a: &Attribution) -> &str {
    a.source.as_ref().map(|p| p.text.as_str()).unwrap_or("")
}

/// No attribution of the layer has this source (the failure lists them).
fn assert_no_source(l: &AttributionLayer, source: &str) {
    assert!(
        l.attributions.iter().all(|a| src(a) != source),
        "an attribution has the source {source:?}: {:#?}",
        l.attributions
    );
}

fn content(a: &Attribution) -> Vec<&str> {
    a.content.iter().map(|p| p.text.as_str()).collect()
}

#[test]
fn quote_then_source_said() {
    let a = one("“We will win the state,” Smith said.");
    assert_eq!(a.kind, AttributionKind::Direct);
    assert_eq!(src(&a), "Smith");
    assert_eq!(a.cue.as_ref().unwrap().text, "said");
    assert_eq!(content(&a), vec!["“We will win the state,”"]);
}

#[test]
fn inverted_said_source_and_straight_quotes() {
    let a = one("\"The plan is dead,\" said Senator Jane Ortiz.");
    assert_eq!(src(&a), "Senator Jane Ortiz");
    assert_eq!(a.speaker.as_deref(), Some("Jane Ortiz"));
}

#[test]
fn source_cue_colon_quote() {
    let a = one("The mayor told reporters: “The budget is balanced.”");
    assert_eq!(a.kind, AttributionKind::Direct);
    assert_eq!(src(&a), "The mayor");
    assert_eq!(content(&a), vec!["“The budget is balanced.”"]);
}

#[test]
fn multi_sentence_quote_with_frame() {
    let a = one("“Taxes are too high. Families are hurting,” said Lee.");
    assert_eq!(
        content(&a),
        vec!["“Taxes are too high. Families are hurting,”"]
    );
    assert_eq!(src(&a), "Lee");
}

#[test]
fn split_quote_is_one_attribution() {
    let a = one("“We are ready,” she said, “and we will not back down.”");
    assert_eq!(content(&a).len(), 2);
    assert_eq!(src(&a), "she");
}

#[test]
fn guillemets_and_single_quotes() {
    let l = run("Le ministre a dit : «Nous sommes prêts.» He later said ‘We are ready for this.’");
    assert_eq!(l.quotes.len(), 2);
    assert_eq!(l.quotes[0].marks, "guillemet");
    assert_eq!(l.quotes[1].marks, "single");
    let a = l
        .attributions
        .iter()
        .find(|a| src(a) == "He")
        .expect("He said");
    assert_eq!(content(a), vec!["‘We are ready for this.’"]);
}

#[test]
fn indirect_said_that() {
    let a = one("Jones said that the bridge would reopen in May.");
    assert_eq!(a.kind, AttributionKind::Indirect);
    assert_eq!(src(&a), "Jones");
    assert_eq!(content(&a), vec!["that the bridge would reopen in May"]);
}

#[test]
fn indirect_told_addressee_skipped() {
    let a = one("The governor told reporters on Tuesday that the plant would close.");
    assert_eq!(content(&a), vec!["that the plant would close"]);
    assert_eq!(src(&a), "The governor");
}

#[test]
fn indirect_content_first() {
    let a = one("The economy is slowing down sharply this year, the central bank said.");
    assert_eq!(
        content(&a),
        vec!["The economy is slowing down sharply this year"]
    );
    assert_eq!(src(&a), "the central bank");
}

#[test]
fn according_to_both_orders() {
    let a = one("According to the ministry, prices rose by four percent.");
    assert_eq!(a.rule, "according_to");
    assert_eq!(src(&a), "the ministry");
    assert_eq!(content(&a), vec!["prices rose by four percent"]);
    let b = one("Prices rose by four percent, according to the ministry.");
    assert_eq!(content(&b), vec!["Prices rose by four percent"]);
    assert_eq!(src(&b), "the ministry");
}

#[test]
fn partial_quote_is_mixed_and_labelled_partial() {
    let l = run("Brown called the proposal “a disgrace to the city” in a statement on Monday.");
    assert_eq!(l.attributions.len(), 1);
    assert_eq!(l.attributions[0].kind, AttributionKind::Mixed);
    assert_eq!(l.quotes[0].kind, QuoteKind::Partial);
    assert_eq!(l.quotes[0].attribution, Some(0));
}

#[test]
fn scare_quotes_are_not_speech() {
    let l = run("The so-called “experts” met again in the capital.");
    assert!(l.attributions.is_empty(), "{:?}", l.attributions);
    assert_eq!(l.quotes.len(), 1);
    assert_eq!(l.quotes[0].kind, QuoteKind::Scare);
}

#[test]
fn block_quote_after_colon_line() {
    let t = "In his 2001 memoir, the general writes:\nWe marched for nine days without food and many of us did not return.\nThe book sold well.";
    let l = run(t);
    let a = &l.attributions[0];
    assert_eq!(a.rule, "block");
    assert_eq!(
        content(a),
        vec!["We marched for nine days without food and many of us did not return."]
    );
    assert!(l
        .quotes
        .iter()
        .any(|q| q.kind == QuoteKind::Block && q.marks == "none"));
}

#[test]
fn quoted_block_paragraph_after_colon() {
    let t = "Carla Diaz, the union leader, continued:\n\n“We have waited long enough for this contract and we will strike.”";
    let a = one(t);
    assert_eq!(a.kind, AttributionKind::Direct);
    assert_eq!(a.speaker.as_deref(), Some("Carla Diaz"));
}

#[test]
fn multi_paragraph_quote_continues() {
    let t = "“The first thing we did was count the votes again,” said Amy Roe.\n\n“Then we counted them a third time.\n\n“Nothing changed after all of that work.”";
    let l = run(t);
    let a = &l.attributions[0];
    assert_eq!(content(a).len(), 3, "{a:?}");
    assert_eq!(a.speaker.as_deref(), Some("Amy Roe"));
}

#[test]
fn surname_with_title_resolves_to_full_name() {
    let t = "Michael Steele spoke in Ohio on Monday.\n\nMr. Steele said the party must change course before the fall.";
    let l = run(t);
    let a = l
        .attributions
        .iter()
        .find(|a| src(a) == "Mr. Steele")
        .expect("attribution");
    assert_eq!(a.speaker.as_deref(), Some("Michael Steele"));
}

#[test]
fn pronoun_resolves_to_previous_speaker() {
    let t = "“We will appeal,” said Maria Lopez, the lawyer.\n\nShe said the ruling ignored the evidence.";
    let l = run(t);
    assert_eq!(l.attributions.len(), 2);
    assert_eq!(l.attributions[1].speaker.as_deref(), Some("Maria Lopez"));
}

#[test]
fn relative_pronoun_source() {
    let t = "The plan was attacked by Tom Hale, who said it would raise rents across the city.";
    let l = run(t);
    let a = l
        .attributions
        .iter()
        .find(|a| src(a) == "Tom Hale, who")
        .expect("who, with its antecedent");
    assert_eq!(a.speaker.as_deref(), Some("Tom Hale"));
}

#[test]
fn quoting_a_b_reported() {
    let t = "Quoting the Interior Ministry, the Daily Planet reported:\n“Four bridges were closed overnight because of the flood.”";
    let a = one(t);
    assert_eq!(a.rule, "quoting");
    assert_eq!(a.speaker.as_deref(), Some("Interior Ministry"));
    assert_eq!(a.relayed_by.as_ref().unwrap().text, "the Daily Planet");
}

#[test]
fn not_attributions() {
    for t in [
        "The United States and Canada signed the treaty in 1990.",
        "The bridge was closed for repairs last week.",
        "Voters in the swing states will decide the race.",
        "Embedded in the old doctrine, the party kept its course.",
        "He walked to the store and bought bread.",
        "The report card was mailed home.",
    ] {
        let l = run(t);
        assert!(l.attributions.is_empty(), "{t}: {:?}", l.attributions);
    }
}

#[test]
fn cited_report_with_title_publisher_and_date() {
    let t = "According to a Budget Office report, “Water for All,” published March 3 this year, “the pipes are older than the city.”";
    let l = run(t);
    let s = l
        .sources
        .iter()
        .find(|s| s.kind == "report")
        .expect("report");
    assert_eq!(s.title.as_ref().unwrap().text, "Water for All");
    assert_eq!(s.date.as_ref().unwrap().text, "March 3");
    assert_eq!(s.publisher.as_deref(), Some("Budget Office"));
    assert_eq!(l.attributions[0].work, Some(0));
    assert!(!s.sentences.is_empty());
}

#[test]
fn cited_book_with_author_and_year() {
    let t = "In her 2015 book, The Long Road Home, Dr. Ana Ruiz described the camps in detail.";
    let l = run(t);
    let s = l.sources.iter().find(|s| s.kind == "book").expect("book");
    assert_eq!(s.title.as_ref().unwrap().text, "The Long Road Home");
    assert_eq!(s.author.as_deref(), Some("Dr. Ana Ruiz"));
    assert_eq!(s.date.as_ref().unwrap().text, "2015");
}

#[test]
fn cited_document_with_date() {
    let t = "According to a June 2, 1979 declassified FBI memo, the agents were reassigned.";
    let l = run(t);
    let s = l
        .sources
        .iter()
        .find(|s| s.kind == "document")
        .expect("document");
    assert_eq!(s.date.as_ref().unwrap().text, "June 2, 1979");
    assert_eq!(s.publisher.as_deref(), Some("FBI"));
}

#[test]
fn links_are_sources_and_unsourced_sentences_are_marked() {
    let doc = Document::new(
        parallax_core::DocMeta {
            id: "l".into(),
            ..Default::default()
        },
        "The tax rose by ten percent last year. See the official figures here.".into(),
        vec![(56, 68, "https://example.org/figures".into())],
    );
    let l = analyze(&doc);
    let link = l.sources.iter().find(|s| s.kind == "link").expect("link");
    assert_eq!(link.href.as_deref(), Some("https://example.org/figures"));
    assert_eq!(l.unsourced.len(), 1);
    assert_eq!(
        l.unsourced[0].text,
        "The tax rose by ten percent last year."
    );
}

#[test]
fn every_span_matches_its_text() {
    let t = "Über “Größe,” sagte er. “Naïve café,” Smith said. According to a 2019 Ministry report, costs fell.";
    let doc = Document::from_text("u", t);
    let l = analyze(&doc);
    let chars: Vec<char> = t.chars().collect();
    let check = |p: &Part| {
        let s: String = chars[p.span.cp_start..p.span.cp_end].iter().collect();
        assert_eq!(s, p.text);
    };
    for a in &l.attributions {
        a.content.iter().for_each(check);
        a.source.iter().for_each(check);
        a.cue.iter().for_each(check);
    }
    for q in &l.quotes {
        let s: String = chars[q.span.cp_start..q.span.cp_end].iter().collect();
        assert_eq!(s, q.text);
    }
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn spans_are_code_points_and_deterministic(
            words in proptest::collection::vec(
                prop_oneof![
                    Just("said"), Just("“"), Just("”"), Just("\""), Just("'"), Just("’"),
                    Just("according"), Just("to"), Just("Smith"), Just("é"), Just(","),
                    Just("."), Just(":"), Just("\n"), Just("report"), Just("the"), Just("Größe"),
                ],
                0..40,
            )
        ) {
            let t = words.join(" ");
            let doc = Document::from_text("p", &t);
            let a = analyze(&doc);
            let b = analyze(&doc);
            prop_assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
            let chars: Vec<char> = t.chars().collect();
            for at in &a.attributions {
                for p in at.content.iter().chain(at.source.iter()).chain(at.cue.iter()) {
                    let s: String = chars[p.span.cp_start..p.span.cp_end].iter().collect();
                    prop_assert_eq!(&s, &p.text);
                }
            }
        }
    }
}

#[test]
fn apposition_with_an_organization_keeps_the_person_as_speaker() {
    let a = one("Dr. Priya Natarajan, a transport economist at Lakeshore University, said the estimates were reasonable.");
    assert_eq!(a.speaker.as_deref(), Some("Priya Natarajan"), "{a:#?}");
}

#[test]
fn doubled_apostrophes_are_double_quotes() {
    let a =
        one("''I think I'll get there,'' Mr. Trump said in an interview before the polls closed.");
    assert_eq!(a.kind, AttributionKind::Direct);
    assert_eq!(src(&a), "Mr. Trump");
    // the frame after the cue ("in an interview ...") is not content
    assert_eq!(content(&a), vec!["''I think I'll get there,''"]);
}

#[test]
fn called_object_is_content() {
    let a = one("Former Florida Gov. Jeb Bush called Trump “unhinged.”");
    assert_eq!(src(&a), "Former Florida Gov. Jeb Bush");
    assert_eq!(a.kind, AttributionKind::Mixed);
    assert_eq!(content(&a), vec!["Trump “unhinged.”"]);
}

#[test]
fn said_that_quote_is_mixed() {
    let a = one("Melania Trump said that “he loves you.”");
    assert_eq!(a.kind, AttributionKind::Mixed);
    assert_eq!(content(&a), vec!["that “he loves you.”"]);
}

#[test]
fn introduction_before_the_frame_is_not_content() {
    let a = one(
        "On the subject of Israel, Trump added, “Sheldon knows that nobody will be more loyal.”",
    );
    assert_eq!(src(&a), "Trump");
    assert_eq!(
        content(&a),
        vec!["“Sheldon knows that nobody will be more loyal.”"]
    );
}

#[test]
fn colon_before_a_framed_quote() {
    let l = run("In her speech, Rhimes declared the need for drive: “Change the world and then change it again,” she said.");
    let a = l.attributions.iter().find(|a| src(a) == "she").unwrap();
    assert_eq!(
        content(a),
        vec!["“Change the world and then change it again,”"]
    );
    // "Rhimes declared …" is an attribution of its own, up to the colon.
    let b = l.attributions.iter().find(|a| src(a) == "Rhimes").unwrap();
    assert_eq!(content(b), vec!["the need for drive"]);
    assert_eq!(l.attributions.len(), 2);
}

#[test]
fn lower_case_fragment_without_cue_is_no_attribution() {
    let l = run("Kasich’s showing will be enough to “drive somebody else out of the race.”");
    assert!(l.attributions.is_empty(), "{:?}", l.attributions);
    assert!(!l.quotes.is_empty());
}

#[test]
fn pronoun_takes_the_person_whose_gender_fits() {
    let t = "Hillary Clinton spoke in Iowa on Monday. She said her plan would pass.\n\n\
             Donald Trump answered in Ohio. He said his rival was wrong.\n\n\
             “We will win,” she said.";
    let l = run(t);
    let last = l.attributions.last().expect("the last quote is attributed");
    assert_eq!(src(last), "she");
    assert_eq!(
        last.speaker.as_deref(),
        Some("Hillary Clinton"),
        "{:#?}",
        l.attributions
    );
    let he = l
        .attributions
        .iter()
        .find(|a| src(a) == "He")
        .expect("He said");
    assert_eq!(he.speaker.as_deref(), Some("Donald Trump"));
}

#[test]
fn titles_give_gender() {
    let t = "Mrs. Ana Ruiz met Mr. Tom Bell. “It went well,” she said.";
    let l = run(t);
    let a = l.attributions.last().unwrap();
    assert_eq!(
        a.speaker.as_deref(),
        Some("Ana Ruiz"),
        "{:#?}",
        l.attributions
    );
}

#[test]
fn short_said_sentence_after_a_quote_gives_its_source() {
    let l =
        run("“I hope you find the emails that are missing.” Trump said.\n\nHe spoke at a rally.");
    assert_eq!(l.attributions.len(), 1, "{:#?}", l.attributions);
    let a = &l.attributions[0];
    assert_eq!(src(a), "Trump");
    assert_eq!(
        content(a),
        vec!["“I hope you find the emails that are missing.”"]
    );
}

// Patterns found in the --errors file of polnear/train (2026-11-30); the
// sentences here are written for the tests.

#[test]
fn manner_verbs_next_to_a_quotation() {
    let a = one("And Mr. Ortiz gloated: “I told you he would not be ready.”");
    assert_eq!(src(&a), "Mr. Ortiz");
    assert_eq!(a.cue.as_ref().unwrap().text, "gloated");
    let a = one("“She wants to be a tough guy tonight,” Ortiz shot back.");
    assert_eq!(src(&a), "Ortiz");
    assert_eq!(a.cue.as_ref().unwrap().text, "shot back");
    // "shot" alone is no cue
    assert!(run("The guard shot the lock off the gate.")
        .attributions
        .is_empty());
}

#[test]
fn second_of_two_coordinated_verbs() {
    let a =
        one("Asked whom she supported, Ms. Ortiz smiled and said, “I am waiting for Bloomberg.”");
    assert_eq!(src(&a), "Ms. Ortiz");
}

#[test]
fn question_quote_then_speaker_in_the_next_sentence() {
    // The segmenter ends the sentence after "?”"; the frame joins it again.
    let l = run("“It looks like we will not get along, who knows?” Ortiz told a television station on Monday.");
    let a = l
        .attributions
        .iter()
        .find(|a| a.kind == AttributionKind::Direct)
        .expect("a direct attribution");
    assert_eq!(src(a), "Ortiz");
    assert!(content(a)[0].starts_with("“It looks like"));
}

#[test]
fn apposition_with_a_possessive_and_a_long_apposition() {
    let a = one(
        "“The numbers put us on pace,” Jeff Ortiz, Smith’s campaign manager, said in a statement.",
    );
    assert!(src(&a).starts_with("Jeff Ortiz"), "{}", src(&a));
    let a = one("Nelson Ortiz, a former aide to Mr. Smith and now the chairman of the party in Dade County, said of Mr. Smith: “He is very in touch with his background.”");
    assert!(src(&a).starts_with("Nelson Ortiz"), "{}", src(&a));
}

#[test]
fn as_x_put_it() {
    let a = one("Or, as Tom Ortiz, a former secretary, put it: “The barbarians are inside.”");
    assert!(src(&a).starts_with("Tom Ortiz"), "{}", src(&a));
    assert_eq!(a.cue.as_ref().unwrap().text, "put it");
}

#[test]
fn said_of_is_no_source() {
    let a = one("“Would I wish that? Absolutely,” Ann Ortiz, an Iowa strategist and former adviser to a governor, said of Smith.");
    assert!(src(&a).starts_with("Ann Ortiz"), "{}", src(&a));
}

#[test]
fn participle_frames_skip_intros_and_datelines() {
    // "praised" is a cue of its own; "telling" shares its source.
    let l = run("Back in 1999, Mr. Ortiz praised the governor's skills, telling a channel: “I wish I could be like that.”");
    assert_eq!(l.attributions.len(), 2, "{:#?}", l.attributions);
    assert!(l.attributions.iter().all(|a| src(a) == "Mr. Ortiz"));
    let a = one("BOSTON, Dec. 8 (UPI) — In response to the plan, Ann Ortiz rallied supporters, saying: “We have to stop him.”");
    assert_eq!(src(&a), "Ann Ortiz");
    let a =
        one("Mr. Ortiz issued a statement Tuesday saying, “I do not feel that heritage matters.”");
    assert_eq!(src(&a), "Mr. Ortiz");
}

#[test]
fn relative_pronoun_source_runs_back_to_its_antecedent() {
    let l = run("The reporter spoke to Ann Ortiz, who said the plan would fail.");
    let a = l
        .attributions
        .iter()
        .find(|a| a.cue.as_ref().is_some_and(|c| c.text == "said"))
        .expect("the said attribution");
    assert_eq!(src(a), "Ann Ortiz, who");
    assert_eq!(a.speaker.as_deref(), Some("Ann Ortiz"));
}

#[test]
fn noun_like_word_before_a_past_speech_verb() {
    let a = one("“Nobody cares when you spend your own money,” the party member said.");
    assert_eq!(src(&a), "the party member");
    let a = one("“We will stay,” both said on Monday.");
    assert_eq!(src(&a), "both");
    // a noun after a determiner proper is still no cue
    assert!(run("The member states met in Brussels.")
        .attributions
        .is_empty());
}

#[test]
fn title_phrase_then_name_then_cue() {
    let a =
        one("“Somebody entered the country,” the city spokesman, Josh Ortiz, said on Thursday.");
    assert_eq!(src(&a), "the city spokesman, Josh Ortiz");
    assert_eq!(a.speaker.as_deref(), Some("Josh Ortiz"));
}

#[test]
fn quotation_after_a_colon_or_comma_that_closes_a_clause() {
    let t = "Ms. Ortiz spoke first.\n\nMr. Hale then addressed the supporters again: “Here is what I regret. I regret they do not listen.”";
    let l = run(t);
    let a = l
        .attributions
        .iter()
        .find(|a| a.content.iter().any(|c| c.text.contains("Here is what")))
        .expect("the quotation");
    assert_eq!(src(a), "Mr. Hale");
    assert_eq!(a.rule, "colon_frame");
    // a label or a headline before the colon is no speaker
    let l = run("Transcript: “We will win the state and we will win it big.”");
    assert!(l.attributions.iter().all(|a| a.rule != "colon_frame"));
    let l = run("IOWA POLLS NOT WRONG: “The polls ended too early and missed the late surge.”");
    assert!(l.attributions.iter().all(|a| a.rule != "colon_frame"));
}

#[test]
fn second_attribution_in_the_same_sentence() {
    let l = run(
        "The mayor said the budget is balanced, but critics say the city is running out of money.",
    );
    assert_eq!(l.attributions.len(), 2, "{:#?}", l.attributions);
    let b = l.attributions.iter().find(|a| src(a) == "critics").unwrap();
    assert_eq!(content(b), vec!["the city is running out of money"]);
    assert_eq!(b.rule, "secondary");
    // A noun that looks like a cue is no second attribution.
    let a = one("The mayor said the new claims office opens on Monday.");
    assert_eq!(src(&a), "The mayor");
}

#[test]
fn outer_cue_before_a_quoted_inner_one() {
    // The cue next to the quotation is the inner one; "Ruiz said" reports it.
    let l =
        run("Ruiz said she often thinks of what her mother told her: “Work first, rest later.”");
    let outer = l
        .attributions
        .iter()
        .find(|a| src(a) == "Ruiz")
        .expect("outer");
    assert!(
        content(outer)[0].starts_with("she often thinks"),
        "{:?}",
        content(outer)
    );
    // The outer one comes first, so the inner one is listed after it.
    let pos = |s: &str| l.attributions.iter().position(|a| src(a) == s).unwrap();
    assert!(pos("Ruiz") < pos("her mother"), "{:#?}", l.attributions);
}

#[test]
fn subject_with_long_apposition() {
    let a = one("Dana Whitfield, director of the Center for Rural Studies, a research group funded by three state universities, said turnout in the county fell sharply.");
    assert!(src(&a).starts_with("Dana Whitfield"), "{}", src(&a));
    assert_eq!(content(&a), vec!["turnout in the county fell sharply"]);
    // A source named after the cue stays there, with its closing apposition.
    let b = one("Turnout in the county fell sharply, said Dana Whitfield, a pollster.");
    assert_eq!(src(&b), "Dana Whitfield, a pollster");
    assert_eq!(b.speaker.as_deref(), Some("Dana Whitfield"));
}

#[test]
fn according_to_around_a_said_clause() {
    let l = run(
        "The governor said the bridge would reopen in May, according to a memo seen by reporters.",
    );
    let outer = l
        .attributions
        .iter()
        .find(|a| a.rule == "according_to")
        .expect("according to");
    assert_eq!(src(outer), "a memo seen by reporters");
    assert_eq!(
        content(outer),
        vec!["The governor said the bridge would reopen in May"]
    );
    let inner = l
        .attributions
        .iter()
        .find(|a| src(a) == "The governor")
        .unwrap();
    assert_eq!(content(inner), vec!["the bridge would reopen in May"]);
    // Alone, "according to" stays one attribution.
    let a = one("The bridge will reopen in May, according to a memo.");
    assert_eq!(src(&a), "a memo");
}

#[test]
fn participle_subject_past_intro_phrases() {
    let a = one("But shortly after the vote, the union leader issued a statement, saying the deal was unfair.");
    assert_eq!(src(&a), "the union leader");
    let b = one("Speaking in a low voice, Ramirez ended the meeting, saying the plan was dead.");
    assert_eq!(src(&b), "Ramirez");
    // A name is no introductory phrase.
    let c = one("Fleming, the union leader, ended the meeting, saying the plan was dead.");
    assert!(src(&c).starts_with("Fleming"), "{}", src(&c));
}

#[test]
fn quote_then_long_apposition_subject() {
    let a = one("“The vote was never close,” Maria Olsen, a spokeswoman for the county board of elections, said in an interview.");
    assert!(src(&a).starts_with("Maria Olsen"), "{}", src(&a));
    assert_eq!(content(&a), vec!["“The vote was never close,”"]);
}

#[test]
fn inverted_asked_and_warned_after_a_quote() {
    let a = one("“Who will pay for the wall?” asked Sen. Ann Ruiz of Ohio.");
    assert_eq!(src(&a), "Sen. Ann Ruiz of Ohio");
    let b = one("“That would be a disaster,” warned Clinton.");
    assert_eq!(src(&b), "Clinton");
    // Elsewhere the word after these verbs is still the addressee.
    let c = one("Clinton warned voters that the plan would be a disaster.");
    assert_eq!(src(&c), "Clinton");
}

#[test]
fn verbs_of_judging_are_cues() {
    let a = one("The senator dismissed the report as a partisan stunt.");
    assert_eq!(src(&a), "The senator");
    assert_eq!(a.cue.as_ref().unwrap().text, "dismissed");
    // The same words as nouns are not.
    let l = run("The dismissed workers gathered outside the plant.");
    assert!(l.attributions.is_empty(), "{:?}", l.attributions);
}

#[test]
fn outer_cue_over_a_coordinated_inner_one() {
    // "says A but he feels B": the whole rest is what Lee says.
    let l = run(
        "Lee says there is a “long road ahead” but he feels confident that the bill will pass.",
    );
    let outer = l
        .attributions
        .iter()
        .find(|a| src(a) == "Lee")
        .expect("Lee");
    assert!(
        content(outer).join(" ").ends_with("the bill will pass"),
        "{:?}",
        content(outer)
    );
    // After a comma and an apposition the cue still finds its source.
    let l = run("Ben Ortiz, the former director, told reporters before the hearing that he believed the rules are unfair.");
    assert!(
        l.attributions
            .iter()
            .any(|a| src(a).starts_with("Ben Ortiz")),
        "{:#?}",
        l.attributions
    );
}

#[test]
fn time_phrase_between_subject_and_cue() {
    let a = one("The mayor at the time said the budget was balanced.");
    assert_eq!(src(&a), "The mayor");
    let b = one("The agency less than two weeks ago said the data were wrong.");
    assert_eq!(src(&b), "The agency");
    // A name before the cue is kept as it is.
    let c = one("Senator Ruiz said at the time that the data were wrong.");
    assert_eq!(src(&c), "Senator Ruiz");
}

#[test]
fn name_label_before_a_quotation() {
    let l = run("The debate turned to foreign policy. Bush: “The mission is to destroy the group, not to contain it.”");
    let a = l
        .attributions
        .iter()
        .find(|a| src(a) == "Bush")
        .expect("Bush");
    assert_eq!(a.rule, "colon_frame");
    // A label that names no speaker is none.
    let l = run("The debate turned to foreign policy. Transcript: “The mission is to destroy the group, not to contain it.”");
    assert_no_source(&l, "Transcript");
}

#[test]
fn relative_word_opens_a_nested_content() {
    let l = run("The mayor said the council backed a plan which she said would cut costs by half.");
    let b = l
        .attributions
        .iter()
        .find(|a| src(a) == "she")
        .expect("she");
    assert_eq!(content(b), vec!["which", "would cut costs by half"]);
}

#[test]
fn closing_frame_reports_the_whole_sentence() {
    let l = run("The senator said the vote would be delayed until March, the newspaper reported.");
    let outer = l
        .attributions
        .iter()
        .find(|a| src(a) == "the newspaper")
        .expect("the newspaper");
    assert_eq!(
        content(outer),
        vec!["The senator said the vote would be delayed until March"]
    );
    let inner = l
        .attributions
        .iter()
        .find(|a| src(a) == "The senator")
        .expect("The senator");
    assert_eq!(
        content(inner),
        vec!["the vote would be delayed until March"]
    );
}

#[test]
fn closing_frame_after_a_quotation_and_the_inner_content_stops_before_it() {
    let l = run("Trump said “we will win big,” the Times reported.");
    let outer = l
        .attributions
        .iter()
        .find(|a| src(a) == "the Times")
        .expect("the Times");
    assert_eq!(content(outer), vec!["Trump said “we will win big,”"]);
    assert_eq!(outer.rule, "closing_frame");
    let inner = l
        .attributions
        .iter()
        .find(|a| src(a) == "Trump")
        .expect("Trump");
    assert_eq!(content(inner), vec!["“we will win big,”"]);
    // Without quotation marks the inner content stops at the comma too.
    let l = run("The mayor said that the bridge would reopen, the paper reported.");
    let inner = l
        .attributions
        .iter()
        .find(|a| src(a) == "The mayor")
        .expect("The mayor");
    assert_eq!(content(inner), vec!["that the bridge would reopen"]);
    // The speaker's cue may come before the quotation.
    let l = run("He told reporters “we will win big,” the Times reported.");
    let inner = l.attributions.iter().find(|a| src(a) == "He").expect("He");
    assert_eq!(content(inner), vec!["“we will win big,”"]);
    // A comma inside a quotation that goes on is no closing frame.
    let l = run("Trump said “we will win, and the Times reported it.”");
    assert_no_source(&l, "the Times");
}

#[test]
fn parenthetical_after_the_name_belongs_to_the_source() {
    let a = one("Gov. Mary Olsen (R-Ore.) said the new tax would be repealed.");
    assert_eq!(src(&a), "Gov. Mary Olsen (R-Ore.)");
    assert_eq!(content(&a), vec!["the new tax would be repealed"]);
}

#[test]
fn digest_label_after_a_dash_or_from() {
    let l = run("Polls were early. Pollsters share the blame - Dana Ruiz: “The samples were too small to be reliable this year.”");
    let a = l
        .attributions
        .iter()
        .find(|a| src(a) == "Dana Ruiz")
        .expect("Dana Ruiz");
    assert_eq!(a.rule, "colon_frame");
    let l = run("The report ends with a warning. More from the report: “Online samples were less accurate than the phone samples.”");
    assert!(
        l.attributions.iter().any(|a| src(a) == "the report"),
        "{:#?}",
        l.attributions
    );
    // A label such as "Update" is no speaker.
    let l = run("Polls were early. Results - Update: “The samples were too small to be reliable this year.”");
    assert_no_source(&l, "Update");
}

#[test]
fn as_x_puts_it() {
    let l = run("As the columnist puts it, “Nobody is moved by this plan at all.”");
    let a = l
        .attributions
        .iter()
        .find(|a| src(a) == "the columnist")
        .expect("columnist");
    assert_eq!(content(a), vec!["“Nobody is moved by this plan at all.”"]);
}

#[test]
fn adverbs_between_subject_and_cue() {
    let a = one("City officials have long argued that the bridge is unsafe.");
    assert_eq!(src(&a), "City officials");
    let a = one("Maria Lopez, the council chair, this past week announced a new budget.");
    assert_eq!(src(&a), "Maria Lopez, the council chair");
    let a = one("Lopez, who has in the past described the plan as \"reckless,\" voted for it.");
    assert_eq!(src(&a), "Lopez, who");
    // With nothing before them, the words are the subject.
    let a = one("Both have promised to cut taxes next year.");
    assert_eq!(src(&a), "Both");
}

#[test]
fn unlisted_verb_after_quote_is_a_cue() {
    let a = one("“The city will always be the city,” an angry Mayor Ruiz retaliated.");
    assert_eq!(src(&a), "an angry Mayor Ruiz");
    assert_eq!(a.cue.as_ref().unwrap().text, "retaliated");
    let a = one("\"It is time to go home,\" exhorted the team captain.");
    assert_eq!(src(&a), "the team captain");
    // Not at the end of the sentence: no cue.
    let l = run("“The store is closed,” the owner locked the door and left town.");
    assert_no_source(&l, "the owner");
}

#[test]
fn dash_signature_under_quoted_paragraph() {
    let l = run("The debate went on.\n\n\"We will build more schools in every county of this state.\"\n\n- Dana Ruiz.\n\nRuiz tends to repeat herself.");
    let a = l
        .attributions
        .iter()
        .find(|a| a.rule == "signature")
        .expect("signature");
    assert_eq!(src(a), "Dana Ruiz");
    // A dash line under an unquoted paragraph signs nothing.
    let l = run("The debate went on for hours in the hall.\n\n- Dana Ruiz.");
    assert!(l.attributions.iter().all(|a| a.rule != "signature"));
}

/// "“…” — Name" on the quotation's own line signs it; the words after a
/// comma (a work, a title) are not the name; a dash followed by a sentence
/// signs nothing.
#[test]
fn dash_signature_on_the_quotation_line() {
    let l = run("The rally ended late.\n\n“We will win this nomination.” — Bernie Sanders\n\nThe crowd cheered.");
    let a = l
        .attributions
        .iter()
        .find(|a| a.rule == "signature")
        .expect("signature");
    assert_eq!(src(a), "Bernie Sanders");
    let l = run("Law and faith.\n\n“No enactment of man can be considered law unless it conforms to the Law of God.” –William Blackstone, English Common Law");
    let a = l
        .attributions
        .iter()
        .find(|a| a.rule == "signature")
        .expect("signature");
    assert_eq!(src(a), "William Blackstone");
    let l = run("The rally ended late.\n\n“We will win this nomination.” — That is all she said.");
    assert!(
        l.attributions.iter().all(|a| a.rule != "signature"),
        "{:#?}",
        l.attributions
    );
}

/// "X said A, adding that B": A ends before the participle (no PolNeAR
/// train content runs over ", adding"), and B is the speaker's too.
#[test]
fn adding_after_a_comma_ends_the_first_content() {
    let l =
        run("The minister said the deal was fair, adding that the unions would sign it next week.");
    let said = l
        .attributions
        .iter()
        .find(|a| a.cue.as_ref().is_some_and(|c| c.text == "said"))
        .expect("said");
    assert_eq!(said.content[0].text, "the deal was fair");
    let adding = l
        .attributions
        .iter()
        .find(|a| a.cue.as_ref().is_some_and(|c| c.text == "adding"))
        .expect("adding");
    assert_eq!(src(adding), "The minister");
    assert!(adding.content[0].text.starts_with("that the unions"));
}

#[test]
fn naming_called_is_no_cue() {
    let l = run("Carson later shared a syllabus for a class called “Perception” on his page, writing “Allow me to do the research for them.”");
    let a = l
        .attributions
        .iter()
        .find(|a| content(a).iter().any(|c| c.contains("Allow me")))
        .expect("quote");
    assert_eq!(src(a), "Carson");
    // A subject that calls someone something is a cue.
    let a = one("A spokesman called Trump a liar.");
    assert_eq!(src(&a), "A spokesman");
}

#[test]
fn participle_subject_after_intro_phrases() {
    let a = one("At a town hall in Ames, Iowa, on Sunday, Mrs. Ortiz expanded on her statement, saying that the state should lead.");
    assert_eq!(src(&a), "Mrs. Ortiz");
    let a = one("But a few days later, Ruiz reversed himself again, telling reporters that the tax would stay.");
    assert_eq!(src(&a), "Ruiz");
    let a = one("Denver (AP) – Mayor Dana Ruiz took a swipe at the council, saying that its plan does harm.");
    assert_eq!(src(&a), "Mayor Dana Ruiz");
    // A name after "However," is the subject, not a place.
    let a = one("However, Jill Ortiz, a lawyer for the city, said in a statement that the claims had no merit.");
    assert_eq!(src(&a), "Jill Ortiz, a lawyer for the city");
}

#[test]
fn went_on_after_quote() {
    let l =
        run("Ruiz spoke first. \"This is a lot of nonsense that we ended,\" the mayor went on.");
    let a = l
        .attributions
        .iter()
        .find(|a| a.cue.as_ref().is_some_and(|c| c.text == "went on"))
        .expect("went on");
    assert_eq!(src(a), "the mayor");
    // "went on" inside a longer clause is no frame.
    let l = run("\"We lost,\" the mayor went on to run for the Senate in the fall.");
    assert!(l
        .attributions
        .iter()
        .all(|a| a.cue.as_ref().is_none_or(|c| c.text != "went on")));
}

#[test]
fn sentence_final_frame_after_comma_quote() {
    let l = run("The mayor cannot say that “from her point of view,” the aide added.");
    let a = l
        .attributions
        .iter()
        .find(|a| src(a) == "the aide")
        .expect("aide");
    assert!(
        content(a)[0].starts_with("The mayor cannot say"),
        "{:#?}",
        a
    );
    // A quotation right after its own cue stays that cue's.
    let l = run("Asked about it, Ortiz said “I know nothing about the emails,” she said.");
    assert!(
        l.attributions.iter().any(|a| src(a) == "Ortiz"),
        "{:#?}",
        l.attributions
    );
}

#[test]
fn nested_cue_inside_reported_content() {
    let l = run("Trump said Clinton proposed a tax hike on the middle class.");
    assert_eq!(l.attributions.len(), 2, "{:#?}", l.attributions);
    let outer = &l.attributions[0];
    assert_eq!(src(outer), "Trump");
    assert_eq!(
        content(outer),
        vec!["Clinton proposed a tax hike on the middle class"]
    );
    let inner = &l.attributions[1];
    assert_eq!(inner.rule, "nested");
    assert_eq!(src(inner), "Clinton");
    assert_eq!(inner.cue.as_ref().unwrap().text, "proposed");
    assert_eq!(content(inner), vec!["a tax hike on the middle class"]);
}

#[test]
fn nested_cue_keeps_that_and_auxiliaries() {
    let l = run("The mayor told reporters that the union has also supported the new contract.");
    let inner = l
        .attributions
        .iter()
        .find(|a| a.rule == "nested")
        .expect("nested attribution");
    assert_eq!(src(inner), "the union");
    assert_eq!(inner.cue.as_ref().unwrap().text, "has also supported");
    assert_eq!(content(inner), vec!["the new contract"]);
}

#[test]
fn nested_cue_outside_reported_content_is_none() {
    // Alone, "proposed" / "supports" are plain verbs: no attribution.
    assert!(run("Clinton proposed a tax hike on the middle class.")
        .attributions
        .is_empty());
    assert!(run("The bridge supports heavy trucks every day.")
        .attributions
        .is_empty());
}

#[test]
fn nested_cue_as_adjective_is_none() {
    // "the proposed tax", "Clinton’s proposed plan": adjectives, not cues.
    let a = one("Smith said the proposed tax hike would hurt families.");
    assert_eq!(src(&a), "Smith");
    let a = one("Smith said Clinton’s proposed plan would hurt families.");
    assert_eq!(src(&a), "Smith");
}

#[test]
fn relative_after_inverted_frame_is_its_own_source() {
    let l = run("“It is normal for this campaign,” said Weaver, who said donors often fail to see the risks.");
    assert_eq!(l.attributions.len(), 2, "{:#?}", l.attributions);
    assert_eq!(src(&l.attributions[0]), "Weaver");
    let b = &l.attributions[1];
    assert_eq!(src(b), "who");
    assert_eq!(content(b), vec!["donors often fail to see the risks"]);
    assert_eq!(b.speaker.as_deref(), Some("Weaver"));
}

#[test]
fn participle_after_object_of_message_verb_takes_subject() {
    let a = one(
        "Her campaign quickly blasted out an email to supporters stating that the race was over.",
    );
    assert_eq!(src(&a), "Her campaign");
    let a = one("The senator sent a letter to Zucker asking that the proceeds go to charity.");
    // (The clause subject runs on over "sent a letter": overlap is enough
    // for the metric; the point is that Zucker is not the source.)
    assert!(src(&a).starts_with("The senator"), "{}", src(&a));
    // A noun phrase that opens the clause is the subject itself.
    let a = one("A letter from the union reached the board saying the deal was unfair.");
    assert_ne!(src(&a), "the board");
}

#[test]
fn according_to_passes_on_the_continued_quotation() {
    let l = run("“Stay calm on the floor tonight,” Sanders said, according to CNN. “It matters a great deal.”");
    assert_eq!(l.attributions.len(), 2, "{:#?}", l.attributions);
    let said = &l.attributions[0];
    assert_eq!(src(said), "Sanders");
    assert_eq!(
        content(said),
        vec![
            "“Stay calm on the floor tonight,”",
            "“It matters a great deal.”"
        ]
    );
    let acc = &l.attributions[1];
    assert_eq!(acc.rule, "according_to");
    assert_eq!(src(acc), "CNN");
    assert_eq!(
        content(acc),
        vec![
            "“Stay calm on the floor tonight,” Sanders said",
            "“It matters a great deal.”"
        ]
    );
}

#[test]
fn manner_verb_before_full_name_after_quotation() {
    let a =
        one("“This is fantastic!” beamed Donald Hartley of Madison, Alabama, who had come early.");
    assert_eq!(src(&a), "Donald Hartley of Madison");
    assert_eq!(a.cue.as_ref().unwrap().text, "beamed");
    // A past-tense verb before words in lower case is no frame.
    assert!(
        run("“Stop the war!” appeared in large letters on the banner.")
            .attributions
            .iter()
            .all(|a| a.cue.as_ref().is_none_or(|c| c.text != "appeared"))
    );
}

#[test]
fn participle_after_the_frame_shares_its_source() {
    let l = run(
        "The talks will resume next week, Spicer said, adding, “They need to sit down and talk.”",
    );
    assert_eq!(l.attributions.len(), 2, "{:#?}", l.attributions);
    let said = &l.attributions[0];
    assert_eq!(said.cue.as_ref().unwrap().text, "said");
    assert_eq!(src(said), "Spicer");
    assert_eq!(content(said)[0], "The talks will resume next week");
    let adding = &l.attributions[1];
    assert_eq!(adding.cue.as_ref().unwrap().text, "adding");
    assert_eq!(src(adding), "Spicer");
    assert_eq!(content(adding), vec!["“They need to sit down and talk.”"]);
    // A few words may sit between the frame and the participle.
    let l = run("“The plan is sound,” Lee said in a statement Tuesday, noting that costs fell.");
    let noting = l
        .attributions
        .iter()
        .find(|a| a.cue.as_ref().is_some_and(|c| c.text == "noting"))
        .expect("noting");
    assert_eq!(src(noting), "Lee");
    assert_eq!(content(noting), vec!["that costs fell"]);
    // A participle not right after a frame keeps the clause subject.
    let a = one("Trump attacked Romney on Monday, calling him “a failed candidate.”");
    assert_eq!(src(&a), "Trump");
}

#[test]
fn participle_takes_the_subject_of_the_verb_before_it() {
    let a = one("Early in his campaign, Trump attacked Romney, calling him “a failed candidate.”");
    assert_eq!(src(&a), "Trump");
    let a = one("Speaking at a town hall in Salem, New Hampshire, Trump went after Bush, calling him “a total stiff.”");
    assert_eq!(src(&a), "Trump");
}

#[test]
fn long_subject_before_a_cue_with_an_addressee() {
    let a = one(
        "“The review is over,” a senior official, who was not cleared to speak about the case, told the Herald.",
    );
    assert_eq!(
        src(&a),
        "a senior official, who was not cleared to speak about the case"
    );
    // The addressee is still never the source.
    let l = run("“The review is over,” told the Herald.");
    assert_no_source(&l, "the Herald");
}

#[test]
fn long_subject_may_hold_because_of() {
    let a = one(
        "Ana Ruiz, who took over the office after the director quit because of a dispute with the mayor, said the budget will pass.",
    );
    assert_eq!(
        src(&a),
        "Ana Ruiz, who took over the office after the director quit because of a dispute with the mayor"
    );
    // A clause with "because" is no subject.
    let l =
        run("Because the director quit over a dispute with the mayor, said the budget will pass.");
    assert!(
        l.attributions.iter().all(|a| !src(a).contains("director")),
        "{:#?}",
        l.attributions
    );
}

#[test]
fn intro_phrases_with_ever_and_immediately() {
    let a = one(
        "Ever since she won the primary, Ms. Ortiz has given her staff a simple message: “Don’t let up.”",
    );
    assert_eq!(src(&a), "Ms. Ortiz");
    let a = one("Immediately after the vote, Lee issued a statement, “We will appeal.”");
    assert_eq!(src(&a), "Lee");
    // A subject that is no introductory phrase stays whole.
    let a = one("Right-wing critics of the bill said, “It will fail.”");
    assert_eq!(src(&a), "Right-wing critics of the bill");
}

#[test]
fn quotation_then_read_names_the_text() {
    let a = one("“The senator has no spine,” reads a Friday editorial in The Gazette.");
    assert!(src(&a).starts_with("a Friday editorial"), "{:#?}", a);
    assert_eq!(a.cue.as_ref().unwrap().text, "reads");
    let a = one("“We regret the error,” read the statement.");
    assert_eq!(src(&a), "the statement");
    // "read" with no quotation before it is no cue.
    let l = run("Students read the statement in class.");
    assert!(l.attributions.is_empty(), "{:#?}", l.attributions);
}

#[test]
fn day_after_determiner_modifies_a_source_after_the_cue() {
    let a = one("“The plan is dead,” said a Tuesday memo from the council.");
    assert!(src(&a).starts_with("a Tuesday memo"), "{:#?}", a);
    // A day after the name is a time phrase, not part of the source.
    let a = one("“The plan is dead,” said Lee Tuesday.");
    assert_eq!(src(&a), "Lee");
}

// 2026-11-30, evening (issue #3, train half A; sentences written here).

fn with_cue<'a>(l: &'a AttributionLayer, cue: &str) -> Option<&'a Attribution> {
    l.attributions
        .iter()
        .find(|a| a.cue.as_ref().is_some_and(|c| c.text == cue))
}

#[test]
fn participle_after_a_frame_with_a_long_place_phrase() {
    // Seven to ten words between the frame and the participle, none of
    // them a cue word or a pronoun: the participle shares the frame's source.
    let l = run(
        "“The judge is biased,” Trump said at a campaign rally in San Diego, adding that he would appeal.",
    );
    let adding = with_cue(&l, "adding").expect("adding");
    assert_eq!(src(adding), "Trump", "{:#?}", l.attributions);
    // A clause of its own in between ("the guards knew …"): that frame is
    // not the participle's; it keeps the subject of the sentence.
    let l = run(
        "Ms. Lee wrote that the guards knew to brace for the outbursts, saying, “They came every week.”",
    );
    let saying = with_cue(&l, "saying").expect("saying");
    assert_eq!(src(saying), "Ms. Lee", "{:#?}", l.attributions);
}

#[test]
fn long_subject_before_comma_when_the_words_after_the_cue_run_on() {
    // The words after the cue do not end like a source ("he would like …")
    // and the subject opens with no word `long_subject` knows.
    let a = one(
        "Wilcox, whose education was paid for by the Army because he served in the reserves, said he would like more students to get that chance.",
    );
    assert!(src(&a).starts_with("Wilcox, whose education"), "{:#?}", a);
    assert!(src(&a).ends_with("in the reserves"), "{:#?}", a);
    let a = one(
        "Numerous veterans interviewed at the rallies this week, including Mr. Jebens, said they had no problem with the remarks.",
    );
    assert_eq!(
        src(&a),
        "Numerous veterans interviewed at the rallies this week, including Mr. Jebens"
    );
    // Not an aside ("say,"), a passive ("reported by"), or a clause with a
    // cue of its own before the comma.
    let l = run("Selling news is harder than, say, selling coffee or cars.");
    assert!(l.attributions.is_empty(), "{:#?}", l.attributions);
    let l = run("The campaign, first reported by the Tribune, is a key element of the plan.");
    assert!(
        l.attributions
            .iter()
            .all(|a| !src(a).starts_with("The campaign")),
        "{:#?}",
        l.attributions
    );
    let l = run(
        "The senator has long maintained that she followed the rules, claims that the audit could not confirm.",
    );
    assert!(
        l.attributions
            .iter()
            .all(|a| !src(a).starts_with("The senator has")),
        "{:#?}",
        l.attributions
    );
}

#[test]
fn head_of_a_subject_relative_or_participle_before_the_cue() {
    // The walk back from the cue stops at a preposition inside a clause
    // that modifies the subject: the head of that clause speaks.
    let a = one("Former aides who spoke with the Gazette said the office had become a shell.");
    assert_eq!(src(&a), "Former aides");
    let a = one("A senior official speaking to Fox News said the review would take months.");
    assert_eq!(src(&a), "A senior official");
    let a = one("A letter from the league obtained by the Tribune warns that the logo is theirs.");
    // (the head found back to the preposition inside it, not the Tribune)
    assert!(src(&a).ends_with("the league"), "{:#?}", a);
    // The walk stopped at the pronoun itself: the head, not the verb
    // phrase of the relative clause.
    let a = one("Several people who attended the meeting said Trump was angry.");
    assert_eq!(src(&a), "Several people");
    // Another clause between the pronoun and the source ("who backed the
    // bill that Gov. Lee said"): the old source stays.
    let a = one("The debate grew so heated over who backed the bill that Gov. Lee said the senators needed a translator.");
    assert_eq!(src(&a), "Gov. Lee");
}

#[test]
fn quotation_then_subject_and_read_closing_the_sentence() {
    let a = one("“Let me be blunt: we can win this,” the email read.");
    assert_eq!(src(&a), "the email");
    assert_eq!(a.cue.as_ref().unwrap().text, "read");
    // A quotation that does not close on a comma, "?" or "!" is a title.
    let l = run("“Moby Dick” is the one book she read.");
    assert!(l.attributions.is_empty(), "{:#?}", l.attributions);
}

#[test]
fn quotation_after_a_sentence_whose_named_subject_acts() {
    let l = run(
        "“We will hold the line,” Lee said.\n\nOrtiz touted her record on the budget. “We cut waste and we balanced the books.”",
    );
    let a = l
        .attributions
        .iter()
        .find(|a| content(a)[0].starts_with("“We cut waste"))
        .expect("the second quotation");
    assert_eq!(src(a), "Ortiz", "{:#?}", l.attributions);
    assert_eq!(a.rule, "narrative_subject");
    // A subject opening on a determiner is no speaker: the quotation goes
    // on as before (the previous speaker's, or no one's).
    let l = run(
        "“We will hold the line,” Lee said.\n\nThe storm flooded the coast. “We lost everything we had in one night.”",
    );
    let a = l
        .attributions
        .iter()
        .find(|a| content(a)[0].starts_with("“We lost"))
        .expect("the second quotation");
    assert_ne!(src(a), "The storm", "{:#?}", l.attributions);
}

#[test]
fn opening_mark_typed_for_the_closing_one() {
    let a = one("“It is unusual,“ said Larry Noble, a lawyer with the center.");
    assert!(src(&a).starts_with("Larry Noble"), "{:#?}", a);
    assert_eq!(content(&a), vec!["“It is unusual,“"]);
    // After a comma but before a word, the mark opens a quotation.
    let a = one("She said,“We will win the state.”");
    assert_eq!(src(&a), "She");
    assert_eq!(content(&a), vec!["“We will win the state.”"]);
}

#[test]
fn verb_and_particle_closing_the_sentence_after_a_quotation() {
    let a = one("“We were never going to win that way,” Bozell points out.");
    assert_eq!(src(&a), "Bozell");
    assert_eq!(a.cue.as_ref().unwrap().text, "points out");
    // With no quotation closing on a comma before them, no frame.
    assert!(run("The lights in the hall went out.")
        .attributions
        .is_empty());
    assert!(run("“The Raven” finally came out.").attributions.is_empty());
}

#[test]
fn postnominal_adjective_and_its_preposition_in_the_source() {
    // "…, people familiar with the talks said.": no attribution at all
    // before (the walk stopped at "with").
    let a = one("The plan will fail, people familiar with the talks said.");
    assert_eq!(src(&a), "people familiar with the talks");
    assert_eq!(content(&a), vec!["The plan will fail"]);
    let a = one("A source close to the campaign said the ads would run in May.");
    assert_eq!(src(&a), "A source close to the campaign");
    // After a copula the adjective is a predicate, not part of the source.
    let a = one("Voters who are loyal to Trump said the plan will fail.");
    assert!(!src(&a).contains("loyal"), "{:#?}", a);
}

#[test]
fn words_after_the_cue_with_an_auxiliary_are_no_source() {
    // "…, said the talks had stalled.": a clause, not a name after the cue.
    let a = one("Two officials, speaking on condition of anonymity, said the talks had stalled.");
    assert_eq!(src(&a), "Two officials, speaking on condition of anonymity");
    assert_eq!(content(&a), vec!["the talks had stalled"]);
    // A name after the cue is still the source.
    let a = one("“We are done with this,” said Lee, who has led the talks.");
    assert!(src(&a).starts_with("Lee"), "{:#?}", a);
}

#[test]
fn request_for_anonymity_is_no_cue() {
    let a = one(
        "The senator, who asked not to be named because the talks are private, said the bill would pass.",
    );
    assert_eq!(a.cue.as_ref().unwrap().text, "said");
    assert!(src(&a).starts_with("The senator"), "{:#?}", a);
    assert_eq!(content(&a), vec!["the bill would pass"]);
    // "asked" with its question stays a cue.
    let a = one("The senator asked whether the bill would pass.");
    assert_eq!(a.cue.as_ref().unwrap().text, "asked");
}

#[test]
fn introductory_phrase_before_the_frame_is_no_content() {
    // "Asked about X, Y said Z": the short clause after the cue is the
    // content, not the introductory phrase before the frame.
    let a = one("Asked about the plan, Cruz said that it would fail.");
    assert_eq!(src(&a), "Cruz");
    assert_eq!(content(&a), vec!["that it would fail"]);
    let a = one("When asked about the plan, Cruz said it would fail.");
    assert_eq!(content(&a), vec!["it would fail"]);
    // A clause before the frame is still its content.
    let a = one("The plan will fail, Cruz said.");
    assert_eq!(content(&a), vec!["The plan will fail"]);
    let a = one("The plan will fail, Cruz said on Tuesday.");
    assert_eq!(content(&a), vec!["The plan will fail"]);
}

#[test]
fn it_after_the_addressee_opens_the_content() {
    let a = one("Cruz told reporters it would fail.");
    assert_eq!(content(&a), vec!["it would fail"]);
    // The addressee itself is still skipped.
    let a = one("Cruz told reporters he would win.");
    assert_eq!(content(&a), vec!["he would win"]);
}

#[test]
fn role_for_whom_is_part_of_the_source() {
    let a = one("A spokesman for the ministry said no decision had been made.");
    assert_eq!(src(&a), "A spokesman for the ministry");
    let b = one("Lawyers for the family said they would appeal the ruling.");
    assert_eq!(src(&b), "Lawyers for the family");
    // Any other noun before "for" still ends the source there: the
    // speaker is the noun phrase after it.
    let c = one("After a long campaign for the seat, Ms. Ruiz said she was done.");
    assert_eq!(src(&c), "Ms. Ruiz");
}

#[test]
fn subject_with_participle_before_cue_and_clause_after() {
    let a = one("The memo, obtained by The Washington Post, says agents ignored warnings.");
    assert_eq!(src(&a), "The memo, obtained by The Washington Post");
    assert_eq!(content(&a), vec!["agents ignored warnings"]);
    // After a quotation, a plural noun and a participle named after the
    // cue are still its source (the forward source stops at "on", as
    // before).
    let b = one("“We are done here,” said officials briefed on the talks.");
    assert_eq!(src(&b), "officials briefed");
}

#[test]
fn subject_and_apposition_then_a_verb_with_its_object() {
    let a = one("Her campaign manager, Robby Mook, denied the report.");
    assert_eq!(src(&a), "Her campaign manager, Robby Mook");
    assert_eq!(content(&a), vec!["the report"]);
    // A verb that inverts with its speaker keeps the speaker after it.
    let b = one("The economy is in trouble, said the spokesman.");
    assert_eq!(src(&b), "the spokesman");
}

#[test]
fn asked_in_an_aside_is_no_cue() {
    let a = one("Trump, asked about the report, said it was fake news.");
    assert_eq!(a.cue.as_ref().unwrap().text, "said");
    assert_eq!(content(&a), vec!["it was fake news"]);
    assert!(src(&a).starts_with("Trump"));
    // Without a speech cue after the aside, "asked" stays the cue.
    let b = one("“Why now?” asked Trump.");
    assert_eq!(b.cue.as_ref().unwrap().text, "asked");
    assert_eq!(src(&b), "Trump");
}

#[test]
fn quoted_as_saying_gives_the_subject() {
    let a = one("Putin was quoted by Reuters as saying the talks were over.");
    assert_eq!(src(&a), "Putin");
    assert_eq!(content(&a), vec!["the talks were over"]);
    // Only "quoted … as saying" is the passive frame.
    let l = run("The plan was described as saying nothing new.");
    assert!(
        l.attributions.iter().all(|a| a.source.is_none()),
        "{:#?}",
        l.attributions
    );
}

/// A possessive apostrophe after a word in `s` belongs to the source
/// (`Sanders’ campaign` had given no attribution at all: the walk back
/// from the cue stopped at the apostrophe).
#[test]
fn possessive_apostrophe_is_part_of_the_source() {
    for (t, who) in [
        (
            "Sanders’ campaign said the numbers were wrong.",
            "Sanders’ campaign",
        ),
        (
            "The Clintons’ lawyer said the case was closed.",
            "The Clintons’ lawyer",
        ),
        (
            "“It is over,” the voters’ spokesman said.",
            "the voters’ spokesman",
        ),
    ] {
        let a = one(t);
        assert_eq!(src(&a), who, "{t}");
    }
    // a quotation in single marks still closes on its apostrophe
    let l = run("He called it ‘a disaster,’ the senator said.");
    assert!(
        l.attributions
            .iter()
            .any(|a| src(a) == "the senator" && a.cue.as_ref().unwrap().text == "said"),
        "{:?}",
        l.attributions
    );
}

/// Plural present forms of cues whose other forms were known ("Critics
/// contend", "Officials concede"); `write` and `conclude` only before
/// `that`, a colon, a quotation mark or a comma.
#[test]
fn plural_present_cues() {
    for (t, who, cue) in [
        (
            "Critics contend the law is unconstitutional.",
            "Critics",
            "contend",
        ),
        (
            "Officials concede that the plan failed.",
            "Officials",
            "concede",
        ),
        (
            "Democrats accuse the governor of lying.",
            "Democrats",
            "accuse",
        ),
        ("They write that the plan failed.", "They", "write"),
        (
            "Investigators conclude that the crash was an accident.",
            "Investigators",
            "conclude",
        ),
    ] {
        let a = one(t);
        assert_eq!(
            (src(&a), a.cue.as_ref().unwrap().text.as_str()),
            (who, cue),
            "{t}"
        );
    }
    for t in [
        "He plans to write a book about the war.",
        "The rules conclude the season in May.",
        "I write this with a heavy heart.",
    ] {
        assert!(
            run(t).attributions.is_empty(),
            "{t}: {:?}",
            run(t).attributions
        );
    }
}

/// "wrote on Twitter: “…”": the phrase after `on` that ends in a colon
/// before the quotation is the frame, not content.
#[test]
fn platform_phrase_before_a_colon_is_frame() {
    let a = one("Trump wrote on Twitter: “The election is rigged!”");
    assert_eq!(content(&a), ["“The election is rigged!”"]);
    // without a quotation after the colon nothing is skipped
    let a = one("Clinton said on Monday that she would win.");
    assert_eq!(content(&a), ["that she would win"]);
}

/// A time word between a participle and its `by` ("A poll released
/// Monday by Quinnipiac University found"): the head before the
/// participle is the source, as without the time word.
#[test]
fn participle_with_a_time_word_before_by() {
    let a = one(
        "A poll released Monday by Quinnipiac University found that most voters oppose the plan.",
    );
    assert_eq!(src(&a), "A poll");
    let a = one("A letter obtained by the AP warns that funds are short.");
    assert_eq!(src(&a), "A letter");
    // irregular participles too
    let a = one("The memo sent last week by the director said the office would close.");
    assert_eq!(src(&a), "The memo");
    let a = one("A memo seen by Reuters says the plan was dropped.");
    assert_eq!(src(&a), "A memo");
}

/// An evidence cue (`found`) whose subject is "a document by a body": the
/// document with its body is the source; a person or a thing that is no
/// document does not "find" a claim.
#[test]
fn document_by_a_body_found() {
    let a = one("A report by the Government Accountability Office found that the Pentagon lost track of its assets.");
    assert_eq!(src(&a), "A report by the Government Accountability Office");
    assert_eq!(a.cue.as_ref().unwrap().text, "found");
    let a = one("A new study from Stanford University found that the program cut emissions.");
    assert_eq!(src(&a), "A new study from Stanford University");
    for t in [
        "The police found a gun in the car.",
        "A friend of the family found that the door was open.",
    ] {
        assert!(run(t).attributions.is_empty(), "{t}");
    }
}

/// A relative clause set off by commas that holds a cue, before the
/// sentence's own cue: two attributions, the clause's content ending at
/// its closing comma and the main source ending before the clause.
#[test]
fn relative_clause_aside_before_the_main_cue() {
    let l = run("Trump, who has called the investigation a witch hunt, said he would cooperate.");
    let got: Vec<(&str, &str, Vec<&str>)> = l
        .attributions
        .iter()
        .map(|a| (src(a), a.cue.as_ref().unwrap().text.as_str(), content(a)))
        .collect();
    assert!(
        got.contains(&("Trump", "said", vec!["he would cooperate"])),
        "{got:?}"
    );
    assert!(
        got.contains(&(
            "Trump, who",
            "has called",
            vec!["the investigation a witch hunt"]
        )),
        "{got:?}"
    );
    // a relative clause that ends the sentence is the attribution itself
    let a = one("The story was written by Gabriel Sherman, who reported that the network paid a settlement.");
    assert_eq!(src(&a), "Gabriel Sherman, who");
    assert_eq!(a.cue.as_ref().unwrap().text, "reported");
}

/// Two names joined by `and` speak together (the source was the second
/// name alone).
#[test]
fn names_joined_by_and_are_one_source() {
    let a = one("Trump and Clinton said the debate was fair.");
    assert_eq!(src(&a), "Trump and Clinton");
    let a = one("Sen. Ted Cruz and Gov. John Kasich said the debate was fair.");
    assert_eq!(src(&a), "Sen. Ted Cruz and Gov. John Kasich");
    // a place phrase before the subject is not joined to it
    let a = one("In Iowa and Ohio, officials said turnout was high.");
    assert_eq!(src(&a), "officials");
}

/// A cue joined by `and` to an earlier verb across an aside shares the
/// clause's subject (sample 001: the whole clause had been the source).
#[test]
fn verb_joined_by_and_across_an_aside_shares_the_subject() {
    let a = one("They have bombed refugee camps in Gaza and Jenin and, since the time of this publication, admitted to bombing ambulances.");
    assert_eq!(src(&a), "They");
    let a = one("The senator voted no and, in a statement, said the bill was flawed.");
    assert_eq!(src(&a), "The senator");
}

/// `according to` set off inside a `that` clause: its content is the
/// rest of the clause, not the frame before it.
#[test]
fn according_to_inside_a_that_clause() {
    let l = run("She said that, according to the police, the man fled.");
    let acc = l
        .attributions
        .iter()
        .find(|a| a.rule == "according_to")
        .expect("the according-to attribution");
    assert_eq!(src(acc), "the police");
    assert_eq!(content(acc), ["the man fled"]);
    assert!(l.attributions.iter().any(|a| src(a) == "She"));
    // at the end of a sentence it still takes what comes before
    let a = one("The man fled, according to the police.");
    assert_eq!(content(&a), ["The man fled"]);
}

/// An embedded tweet is its author's: the text before the signature
/// `— Name (@handle) Month D, YYYY`, without the link at its end or a
/// markup tag before it.
#[test]
fn embedded_tweet_is_attributed_to_its_author() {
    let t = "Trump denied the report.\n\nIron Mike Tyson was not asked to speak at the Convention. The media makes everything up! https://t.co/abc — Donald J. Trump (@realDonaldTrump) June 29, 2016\n\n<tweet id=\"1\" author=\"@Bencjacobs\">His campaign has booked Mike Tyson to appear at RNC https://t.co/daC7Qr7ZhZ — Ben Jacobs (@Bencjacobs) June 28, 2016</tweet>.";
    let l = run(t);
    let tweets: Vec<(&str, Vec<&str>)> = l
        .attributions
        .iter()
        .filter(|a| a.rule == "tweet_signature")
        .map(|a| (src(a), content(a)))
        .collect();
    assert_eq!(
        tweets,
        [
            (
                "Donald J. Trump",
                vec!["Iron Mike Tyson was not asked to speak at the Convention. The media makes everything up!"]
            ),
            (
                "Ben Jacobs",
                vec!["His campaign has booked Mike Tyson to appear at RNC"]
            ),
        ]
    );
    // no handle, no date: no signature
    assert!(
        run("The war lasted from 1950 -- 1953 (@ history) and ended.")
            .attributions
            .iter()
            .all(|a| a.rule != "tweet_signature")
    );
}

#[test]
fn time_phrase_before_a_subject_pronoun_is_not_the_source() {
    for t in [
        "Tuesday night he claimed that he had decimated core Al Qaeda.",
        "Pretty soon she said that the deal was off.",
        "Trump named a list of countries he said had sent terrorists.",
    ] {
        let l = run(t);
        let a = with_cue(&l, "claimed")
            .or_else(|| with_cue(&l, "said"))
            .unwrap_or_else(|| panic!("{t}: {:?}", l.attributions));
        assert!(matches!(src(a), "he" | "she"), "{t}: {}", src(a));
    }
    // joined pronouns stay whole
    let a = one("Mr. Trump and I said the talks were over.");
    assert_eq!(src(&a), "Mr. Trump and I");
}

#[test]
fn blasted_is_a_cue() {
    let a = one("Trump, who spoke for an hour, blasted the establishment.");
    // the source keeps its relative clause, as PolNeAR's sources do
    assert_eq!(src(&a), "Trump, who spoke for an hour");
    assert_eq!(content(&a), ["the establishment"]);
    assert_eq!(a.cue.as_ref().unwrap().text, "blasted");
}

#[test]
fn far_coordinated_verb_after_a_pronoun_gives_the_subject() {
    let l = run("A month later, he paid an impromptu visit to the border in Laredo, Texas and explained why the voters were going to love him.");
    let a = with_cue(&l, "explained").expect("explained");
    assert_eq!(src(a), "he");
    assert_eq!(content(a), ["why the voters were going to love him"]);
}

#[test]
fn people_named_by_where_they_work_are_the_source() {
    for (t, who) in [
        (
            "Officials at the Department of Homeland Security said the policy would take effect.",
            "Officials at the Department of Homeland Security",
        ),
        (
            "Analysts with the bank said growth would slow.",
            "Analysts with the bank",
        ),
    ] {
        let a = one(t);
        assert_eq!(src(&a), who, "{t}");
    }
}

#[test]
fn it_passive_names_the_source_after_by() {
    let l = run(
        "It was reported by The Associated Press that the governor had urged lawmakers to wait.",
    );
    // (the nested "had urged" is an attribution of its own)
    let a = with_cue(&l, "was reported")
        .or_else(|| with_cue(&l, "reported"))
        .unwrap_or_else(|| panic!("{:?}", l.attributions));
    assert_eq!(src(a), "The Associated Press");
    assert_eq!(
        content(a),
        ["that the governor had urged lawmakers to wait"]
    );
    // a passive with a real subject is no such frame
    let l = run("If it were taxed, he was criticized by libertarians on social media.");
    assert_no_source(&l, "libertarians");
}

#[test]
fn apposition_after_an_inverted_frame_is_part_of_the_source() {
    let a = one("“It’s a disgrace,” said Jennifer Alvarez, a spokeswoman for the party.");
    assert_eq!(src(&a), "Jennifer Alvarez, a spokeswoman for the party");
    assert_eq!(a.speaker.as_deref(), Some("Jennifer Alvarez"));
    // a participle phrase is no apposition
    let a = one("“That’s simply not true,” insisted Sen. Ron Castillo, shaking his head.");
    assert_eq!(src(&a), "Sen. Ron Castillo");
}

#[test]
fn party_and_state_in_parentheses_do_not_speak() {
    let a = one("Rep. Jane Roe (R-Ohio) said the vote was close.");
    assert_eq!(src(&a), "Rep. Jane Roe (R-Ohio)");
    assert_eq!(a.speaker.as_deref(), Some("Jane Roe"), "{a:#?}");
}
