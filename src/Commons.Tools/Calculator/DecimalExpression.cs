using System.Globalization;

namespace Commons.Tools.Calculator;

/// <summary>
/// Evaluates arithmetic exactly in <see cref="decimal"/> (28-29 significant digits, no binary
/// rounding: 0.1 + 0.2 is 0.3). Grammar: numbers, + - * / % (remainder), ^ (whole-number powers),
/// parentheses, unary minus; precedence as usual, ^ binds right.
/// </summary>
public sealed class DecimalExpression
{
    private const int MaxLength = 1000;
    private const int MaxDepth = 100;
    private readonly string _text;
    private int _position;
    private int _depth;

    private DecimalExpression(string text) => _text = text;

    /// <summary>The value of <paramref name="expression"/>; a malformed expression or an impossible operation is a <see cref="ToolException"/>.</summary>
    public static decimal Evaluate(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        if (expression.Length > MaxLength)
        {
            throw new ToolException($"The expression is longer than {MaxLength} characters.");
        }

        var parser = new DecimalExpression(expression);
        try
        {
            var value = parser.Sum();
            parser.SkipSpaces();
            if (parser._position < expression.Length)
            {
                throw parser.Error($"unexpected '{expression[parser._position]}'");
            }

            return value;
        }
        catch (OverflowException ex)
        {
            throw new ToolException("The result is too large for exact arithmetic (more than about 7.9e28).", ex);
        }
        catch (DivideByZeroException ex)
        {
            throw new ToolException("Division by zero.", ex);
        }
    }

    private decimal Sum()
    {
        var value = Product();
        while (true)
        {
            if (Take('+'))
            {
                value += Product();
            }
            else if (Take('-'))
            {
                value -= Product();
            }
            else
            {
                return value;
            }
        }
    }

    private decimal Product()
    {
        var value = Power();
        while (true)
        {
            if (Take('*') || Take('×'))
            {
                value *= Power();
            }
            else if (Take('/') || Take('÷'))
            {
                value /= Power();
            }
            else if (Take('%'))
            {
                value %= Power();
            }
            else
            {
                return value;
            }
        }
    }

    private decimal Power()
    {
        var value = Unary();
        if (!Take('^'))
        {
            return value;
        }

        var exponent = Power();
        if (exponent != decimal.Truncate(exponent) || Math.Abs(exponent) > 1000)
        {
            throw new ToolException("Powers must be whole numbers between -1000 and 1000 to stay exact.");
        }

        var result = 1m;
        for (var i = 0; i < Math.Abs((int)exponent); i++)
        {
            result *= value;
        }

        return exponent < 0 ? 1m / result : result;
    }

    private decimal Unary()
    {
        if (Take('-'))
        {
            return -Unary();
        }

        return Take('+') ? Unary() : Primary();
    }

    private decimal Primary()
    {
        SkipSpaces();
        if (Take('('))
        {
            if (++_depth > MaxDepth)
            {
                throw Error("too many nested parentheses");
            }

            var value = Sum();
            if (!Take(')'))
            {
                throw Error("a ')' is missing");
            }

            _depth--;
            return value;
        }

        var start = _position;
        while (_position < _text.Length && (char.IsAsciiDigit(_text[_position]) || _text[_position] is '.' or '_'))
        {
            _position++;
        }

        if (start == _position)
        {
            throw Error(_position < _text.Length ? $"unexpected '{_text[_position]}'" : "a number is missing at the end");
        }

        var literal = _text[start.._position].Replace("_", "", StringComparison.Ordinal);
        if (!decimal.TryParse(literal, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            throw Error($"'{literal}' is not a number");
        }

        return number;
    }

    private bool Take(char c)
    {
        SkipSpaces();
        if (_position < _text.Length && _text[_position] == c)
        {
            _position++;
            return true;
        }

        return false;
    }

    private void SkipSpaces()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }

    private ToolException Error(string problem) =>
        new($"The expression is not valid at position {_position + 1}: {problem}.");
}
