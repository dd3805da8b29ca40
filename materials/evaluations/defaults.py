"""The default evaluation form, in Dutch: used for every topic that has no form of its own.

The first question is a rating: the follow-up mail shows it as a row of five links."""

DEFAULT_TITLE = "Hoe was de infosessie?"

DEFAULT_DEFINITION = {
    "sections": [
        {
            "title": "Je indruk",
            "questions": [
                {
                    "key": "algemeen",
                    "kind": "rating",
                    "label": "Hoe tevreden ben je over de infosessie?",
                    "low": "helemaal niet tevreden",
                    "high": "heel tevreden",
                },
                {
                    "key": "duidelijk",
                    "kind": "rating",
                    "label": "Hoe duidelijk was de uitleg?",
                    "low": "helemaal niet duidelijk",
                    "high": "heel duidelijk",
                },
                {
                    "key": "volgende_stap",
                    "kind": "single",
                    "label": "Weet je wat je volgende stap is?",
                    "choices": ["Ja", "Een beetje", "Nee"],
                },
            ],
        },
        {
            "title": "Wat je nog wilt weten",
            "questions": [
                {
                    "key": "meer_info",
                    "kind": "multiple",
                    "label": "Waarover wil je meer weten?",
                    "choices": ["Vergunning", "Financiering", "Infrastructuur", "Personeel", "Subsidies"],
                },
                {
                    "key": "opmerking",
                    "kind": "text",
                    "label": "Wil je nog iets kwijt?",
                },
            ],
        },
    ]
}
