using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Keypoints.MLNet.Data;

/// <summary>
/// Parses the <c>Image</c> field of the Kaggle files: grey levels 0-255 as decimal integers
/// separated by spaces, straight from the UTF-8 bytes of the field into a float buffer.
/// </summary>
/// <remarks>
/// The field holds 9216 numbers per row, so a general number parser or <c>string.Split</c> would
/// dominate the cost of reading a file; this loop touches each byte once and allocates only when
/// it reports an error.
/// </remarks>
internal static class GreyLevelParser
{
    /// <summary>Parses <paramref name="field"/> into <paramref name="greyLevels"/>, which it fills exactly.</summary>
    /// <param name="field">The UTF-8 text of the field.</param>
    /// <param name="greyLevels">Receives the grey levels; its length is the number the field must hold.</param>
    /// <param name="problem">When parsing fails, what is wrong, as a sentence.</param>
    /// <returns>Whether the field holds exactly <c>greyLevels.Length</c> integers in 0-255.</returns>
    public static bool TryParse(
        ReadOnlySpan<byte> field,
        Span<float> greyLevels,
        [NotNullWhen(false)] out string? problem
    )
    {
        int count = 0,
            value = 0,
            digits = 0;
        for (int i = 0; i < field.Length; i++)
        {
            uint digit = (uint)(field[i] - '0');
            if (digit <= 9)
            {
                // Saturates so that a long run of digits cannot overflow; anything above 255 is an error anyway.
                value = Math.Min(value * 10 + (int)digit, 256);
                digits++;
            }
            else if (field[i] == ' ')
            {
                if (digits > 0)
                {
                    if (value > 255)
                        return OutOfRange(field, i - 1, count, out problem);
                    if (count < greyLevels.Length)
                        greyLevels[count] = value;
                    count++;
                    value = 0;
                    digits = 0;
                }
            }
            else
            {
                return NotAnInteger(field, i, count, out problem);
            }
        }
        if (digits > 0)
        {
            if (value > 255)
                return OutOfRange(field, field.Length - 1, count, out problem);
            if (count < greyLevels.Length)
                greyLevels[count] = value;
            count++;
        }
        if (count != greyLevels.Length)
        {
            problem = $"expected {greyLevels.Length} grey levels, found {count}.";
            return false;
        }
        problem = null;
        return true;
    }

    private static bool OutOfRange(ReadOnlySpan<byte> field, int index, int count, out string problem)
    {
        problem = $"grey level {count + 1} is '{TokenAt(field, index)}', outside 0-255.";
        return false;
    }

    private static bool NotAnInteger(ReadOnlySpan<byte> field, int index, int count, out string problem)
    {
        string token = TokenAt(field, index);
        // A negative number is a number, only out of range; say so rather than "not an integer".
        bool negative = token.Length > 1 && token[0] == '-' && !token.AsSpan(1).ContainsAnyExceptInRange('0', '9');
        problem = negative
            ? $"grey level {count + 1} is '{token}', outside 0-255."
            : $"grey level {count + 1} is '{token}', not an integer.";
        return false;
    }

    /// <summary>The space-delimited token around byte <paramref name="index"/>.</summary>
    private static string TokenAt(ReadOnlySpan<byte> field, int index)
    {
        int start = field[..index].LastIndexOf((byte)' ') + 1;
        int length = field[start..].IndexOf((byte)' ');
        var token = length < 0 ? field[start..] : field.Slice(start, length);
        return Encoding.UTF8.GetString(token);
    }
}
