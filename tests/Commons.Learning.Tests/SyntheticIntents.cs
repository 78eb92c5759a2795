namespace Commons.Learning.Tests;

/// <summary>A small synthetic task: 6 intents with 20 phrasings each, made from templates.</summary>
internal static class SyntheticIntents
{
    public static readonly string[] Actions = ["set_alarm", "weather_query", "play_music", "send_email", "add_calendar_event", "order_food"];

    public static IReadOnlyList<(string Text, int Label)> Requests { get; } = Build();

    private static List<(string, int)> Build()
    {
        string[][] templates =
        [
            ["wake me up at {0}", "set an alarm for {0}", "I need an alarm at {0}", "please ring the alarm at {0}"],
            ["what is the weather like {0}", "will it rain {0}", "do I need an umbrella {0}", "how hot will it be {0}"],
            ["play some {0}", "put on {0} music", "I want to listen to {0}", "start playing {0}"],
            ["send an email to {0}", "write a mail to {0}", "email {0} about the meeting", "compose a message to {0} by email"],
            ["add {0} to my calendar", "put {0} in my diary", "schedule {0} for me", "create a calendar event for {0}"],
            ["order {0} for dinner", "get me some {0} delivered", "I want takeaway {0}", "can you order {0} from the restaurant"],
        ];
        string[][] fillers =
        [
            ["seven am", "six thirty", "noon", "five in the morning", "eight o'clock"],
            ["today", "tomorrow", "this weekend", "tonight", "in paris"],
            ["jazz", "rock", "classical", "the beatles", "something relaxing"],
            ["my boss", "john", "the team", "my landlord", "sarah"],
            ["the dentist appointment", "lunch with anna", "the board meeting", "my yoga class", "the school play"],
            ["pizza", "sushi", "thai food", "a burger", "noodles"],
        ];
        var requests = new List<(string, int)>();
        for (var intent = 0; intent < templates.Length; intent++)
        {
            foreach (var template in templates[intent])
            {
                foreach (var filler in fillers[intent])
                {
                    requests.Add((string.Format(System.Globalization.CultureInfo.InvariantCulture, template, filler), intent));
                }
            }
        }

        return requests;
    }
}
